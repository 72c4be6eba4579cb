using ClipLab.Inference;
using ClipLab.Interop.Onnx;
using ClipLab.Interop.Onnx.Schema;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Interop;

public sealed class OnnxExportTests
{
    /// <summary>
    /// Each exported family through ONNX Runtime against TorchSharp on random pixels and token rows, at batch sizes 1, 2 and 5
    /// (the files fix none): every embedding element within 1e-4.
    /// </summary>
    [Theory]
    [InlineData("vit")]
    [InlineData("vit-mean")]
    [InlineData("vit-gray")]
    [InlineData("resnet")]
    [InlineData("modified-resnet")]
    [InlineData("convnext")]
    [InlineData("mixer")]
    public void ExportedEncodersMatchTorchSharp(string family)
    {
        using var model = OnnxTestModels.Clip(family);
        string folder = OnnxTestModels.Export(model);
        using var onnx = ClipOnnxModel.Load(folder, threads: 1);

        var result = OnnxVerification.Compare(model, onnx, [1, 2, 5], seed: 3);

        Assert.True(result.ImageMaxAbsDifference <= OnnxVerification.Tolerance, $"{family} image: {result.ImageMaxAbsDifference:E2}");
        Assert.True(result.TextMaxAbsDifference <= OnnxVerification.Tolerance, $"{family} text: {result.TextMaxAbsDifference:E2}");
        Assert.True(result.Passed);
    }

    [Fact]
    public void FolderHoldsEverythingAnApplicationNeeds()
    {
        using var model = OnnxTestModels.Clip("vit", logitBias: -10);
        string folder = OnnxTestModels.Export(model, "tiny-siglip");

        var manifest = OnnxModelManifest.Load(folder);
        Assert.Equal("tiny-siglip", manifest.ModelName);
        Assert.Equal("vit", manifest.VisionFamily);
        Assert.Equal(24, manifest.EmbedDim);
        Assert.Equal(17, manifest.Opset);
        Assert.Equal(8, manifest.ContextLength);
        Assert.Equal(Math.Exp(model.LogitScale.ToSingle()), manifest.LogitScale, 5);
        Assert.Equal(-10, manifest.LogitBias!.Value, 5);
        Assert.Equal(new ImagePreprocessingSpec { ImageSize = 16, Channels = 3, ColorSpace = "rgb", ResizeTo = 18, CropFraction = 0.875 } with
        { ValueRange = manifest.Preprocessing.ValueRange }, manifest.Preprocessing);
        Assert.Equal([-1f, 1f], manifest.Preprocessing.ValueRange);
        Assert.Null(manifest.Preprocessing.Mean);
        Assert.Equal(File.ReadAllBytes(OnnxTestModels.Tokenizer.ModelPath), File.ReadAllBytes(Path.Combine(folder, manifest.Tokenizer)));

        // The files are ordinary ONNX: opset 17 of the default domain, a symbolic batch axis on both inputs and outputs.
        foreach (var (file, input) in new[] { (manifest.ImageEncoder, "pixels"), (manifest.TextEncoder, "tokens") })
        {
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Path.Combine(folder, file)));
            Assert.Equal(8, proto.IrVersion);
            Assert.Equal(17, Assert.Single(proto.OpsetImport).Version);
            Assert.Equal(input, Assert.Single(proto.Graph.Input).Name);
            Assert.Equal("batch", proto.Graph.Input[0].Type.TensorType.Shape.Dim[0].DimParam);
            Assert.Equal("batch", Assert.Single(proto.Graph.Output).Type.TensorType.Shape.Dim[0].DimParam);
            Assert.Equal(24, proto.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue);
        }
    }

    [Fact]
    public void UnsupportedFamilyFailsWithOneLineNamingTheFamiliesThatExport()
    {
        using var model = OnnxTestModels.Clip("swin");
        string folder = Path.Combine(TinyRuns.TempDirectory(), "onnx");

        var error = Assert.Throws<NotSupportedException>(() => OnnxExport.Write(model, OnnxTestModels.Tokenizer, folder, "swin"));

        Assert.Equal("ONNX export does not cover swin image towers yet; it covers vit, resnet, modified-resnet, convnext, mixer.", error.Message);
        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public void BrokenFoldersFailWithOneClearMessage()
    {
        using var model = OnnxTestModels.Clip("vit");
        string folder = OnnxTestModels.Export(model);

        var notExported = Assert.Throws<FileNotFoundException>(() => ClipOnnxModel.Load(Path.GetDirectoryName(folder)!));
        Assert.Contains("is not an exported model", notExported.Message);

        string manifest = Path.Combine(folder, OnnxModelManifest.FileName);
        string original = File.ReadAllText(manifest);
        File.WriteAllText(manifest, original.Replace("\"embedDim\"", "\"embedDims\""));
        var badKey = Assert.Throws<InvalidDataException>(() => ClipOnnxModel.Load(folder));
        Assert.Contains("embedDims", badKey.Message);
        File.WriteAllText(manifest, original);

        // A truncated encoder file (as a full disk or killed copy leaves it) is named, not a runtime stack trace.
        string encoder = Path.Combine(folder, OnnxModelManifest.ImageEncoderFile);
        var bytes = File.ReadAllBytes(encoder);
        File.WriteAllBytes(encoder, bytes[..(bytes.Length / 2)]);
        var truncated = Assert.Throws<InvalidDataException>(() => ClipOnnxModel.Load(folder));
        Assert.Contains("image_encoder.onnx is not a valid ONNX model", truncated.Message);
        Assert.DoesNotContain('\n', truncated.Message);
    }
}
