using System.Globalization;
using ClipLab.Inference;
using ClipLab.IO;
using ClipLab.Interop.Onnx.Schema;
using ClipLab.Models;
using ClipLab.Text;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Exports a CLIP model as an ONNX model folder an application can use with nothing else: the image and text
/// encoders (each ending in L2 normalisation, batch size dynamic), the tokenizer model and the manifest
/// (<see cref="OnnxModelManifest"/>: preprocessing, context length, logit scale and bias, names and sizes).
/// </summary>
public static class OnnxExport
{
    /// <summary>Writes <paramref name="model"/> (with the tokenizer it was trained with) into <paramref name="folder"/>.</summary>
    /// <param name="model">The model; its weights are copied, it is not changed.</param>
    /// <param name="tokenizer">Its tokenizer; the model file is copied into the folder.</param>
    /// <param name="folder">Output folder (created; files of an earlier export are replaced).</param>
    /// <param name="modelName">Name recorded in the manifest.</param>
    /// <returns>The manifest written.</returns>
    /// <exception cref="NotSupportedException">The image tower's family does not export (one line naming those that do).</exception>
    public static OnnxModelManifest Write(ClipModel model, ClipTokenizer tokenizer, string folder, string modelName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var config = model.Config;
        var family = config.Vision.Family;
        VisionTowerExport.CheckSupported(model.Visual, family);
        if (tokenizer.ContextLength != config.Text.ContextLength || tokenizer.EndOfTextId != config.Text.EndOfTextId)
        {
            throw new ArgumentException($"the tokenizer (context {tokenizer.ContextLength}, end-of-text {tokenizer.EndOfTextId}) is not the model's " +
                $"(context {config.Text.ContextLength}, end-of-text {config.Text.EndOfTextId}); export with the run's own tokenizer.");
        }

        Directory.CreateDirectory(folder);
        using var noGrad = no_grad();
        var metadata = new Dictionary<string, string>
        {
            ["cliplab.model"] = modelName,
            ["cliplab.embed_dim"] = config.EmbedDim.ToString(CultureInfo.InvariantCulture),
        };
        Save(ImageEncoder(model, family), Path.Combine(folder, OnnxModelManifest.ImageEncoderFile), metadata);
        Save(TextEncoder(model), Path.Combine(folder, OnnxModelManifest.TextEncoderFile), metadata);
        AtomicFile.Write(Path.Combine(folder, OnnxModelManifest.TokenizerFile), stream =>
        {
            using var source = File.OpenRead(tokenizer.ModelPath);
            source.CopyTo(stream);
        });

        var vision = config.Vision;
        var crop = new Imaging.EvaluationPreprocessing(vision.ImageSize, vision.Channels);
        var manifest = new OnnxModelManifest
        {
            ModelName = modelName,
            VisionFamily = family,
            EmbedDim = config.EmbedDim,
            Opset = OnnxGraph.Opset,
            ContextLength = config.Text.ContextLength,
            Preprocessing = new ImagePreprocessingSpec
            {
                ImageSize = vision.ImageSize,
                Channels = vision.Channels,
                ColorSpace = vision.Channels == 1 ? "luma" : "rgb",
                ResizeTo = crop.ResizeTo,
                CropFraction = crop.CropFraction,
            },
            LogitScale = Math.Exp(model.LogitScale.ToSingle()),
            LogitBias = model.LogitBias?.ToSingle(),
        };
        manifest.Save(folder);
        return manifest;
    }

    private static OnnxGraph ImageEncoder(ClipModel model, string family)
    {
        var vision = model.Config.Vision;
        var graph = new OnnxGraph("image_encoder");
        var pixels = graph.Input("pixels", TensorProto.Types.DataType.Float, "batch", vision.Channels, vision.ImageSize, vision.ImageSize);
        var features = VisionTowerExport.Write(graph, model.Visual, family, "visual", pixels);
        graph.Output(OnnxLayers.L2Normalize(graph, features), "embedding", TensorProto.Types.DataType.Float, "batch", model.Config.EmbedDim);
        return graph;
    }

    private static OnnxGraph TextEncoder(ClipModel model)
    {
        var graph = new OnnxGraph("text_encoder");
        var tokens = graph.Input("tokens", TensorProto.Types.DataType.Int64, "batch", model.Config.Text.ContextLength);
        var features = TextTransformerExport.Write(graph, model.Text, "text", tokens);
        graph.Output(OnnxLayers.L2Normalize(graph, features), "embedding", TensorProto.Types.DataType.Float, "batch", model.Config.EmbedDim);
        return graph;
    }

    private static void Save(OnnxGraph graph, string path, IReadOnlyDictionary<string, string> metadata)
    {
        var version = typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "0";
        var model = graph.ToModel(version, metadata);
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }
}
