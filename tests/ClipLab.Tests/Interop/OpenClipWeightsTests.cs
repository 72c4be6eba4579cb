using ClipLab.Interop.OpenClip;
using ClipLab.Interop.Safetensors;
using ClipLab.Models;
using ClipLab.Tests.Models;
using ClipLab.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Interop;

public sealed class OpenClipWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("open-clip-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool Same(Tensor expected, Tensor actual)
    {
        using var equal = expected.eq(actual);
        using var all = equal.all();
        return expected.shape.SequenceEqual(actual.shape) && all.item<bool>();
    }

    private static ClipModelConfig TinyVit() => TinyModels.Clip("mean") with { Vision = TinyModels.Vision("mean") with { PreNorm = true } };

    private static ClipModelConfig TinyModifiedResNet() => TinyModels.Clip() with
    {
        Vision = new ModifiedResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.25, HeadWidth = 32 },
    };

    private static ClipModelConfig TinyConvNext(int patch = 2) => TinyModels.Clip() with
    {
        Vision = new ConvNextConfig { ImageSize = 32, PatchSize = patch, Depths = [1, 1, 2, 1], Dims = [8, 16, 24, 32] },
    };

    private string Export(ClipModel model, string name, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        var export = OpenClipExporter.Export(model, dtype);
        var path = Path.Combine(_dir, name);
        SafetensorsWriter.Write(path, export.Tensors, export.Metadata);
        return path;
    }

    private string Rewrite(string source, string name, Func<SafetensorsEntry, string?> rename, params SafetensorsTensor[] extra)
    {
        using var file = SafetensorsFile.Open(source);
        var tensors = file.Entries
            .Select(e => (Entry: e, Name: rename(e)))
            .Where(t => t.Name is not null)
            .Select(t => new SafetensorsTensor(t.Name!, t.Entry.DType, t.Entry.Shape, file.ReadBytes(t.Entry)))
            .Concat(extra)
            .ToList();
        var path = Path.Combine(_dir, name);
        SafetensorsWriter.Write(path, tensors);
        return path;
    }

    private static (Tensor Images, Tensor Tokens) Inputs(ClipModelConfig config, int batch = 2)
    {
        var size = config.Vision.ImageSize;
        var images = torch.rand(batch, 3, size, size) * 2 - 1;
        var tokens = torch.randint(4, config.Text.VocabSize - 1, [batch, config.Text.ContextLength], dtype: ScalarType.Int64);
        tokens[.., config.Text.ContextLength / 2] = torch.tensor((long)config.Text.EndOfTextId);
        return (images, tokens);
    }

    private static void AssertIdenticalOutputs(ClipModel expected, ClipModel actual)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        expected.eval();
        actual.eval();
        var (images, tokens) = Inputs(expected.Config);
        Assert.True(Same(expected.EncodeImage(images, normalize: false), actual.EncodeImage(images, normalize: false)));
        Assert.True(Same(expected.EncodeText(tokens, normalize: false), actual.EncodeText(tokens, normalize: false)));
        Assert.Equal(expected.LogitScale.item<float>(), actual.LogitScale.item<float>());
    }

    public static TheoryData<string> SmallFamilies => new() { "vit", "modified-resnet", "convnext" };

    private static ClipModelConfig Small(string family) => family switch
    {
        "vit" => TinyVit(),
        "modified-resnet" => TinyModifiedResNet(),
        _ => TinyConvNext(),
    };

    [Theory]
    [MemberData(nameof(SmallFamilies))]
    public void ExportThenImport_GivesIdenticalOutputs(string family)
    {
        torch.manual_seed(5);
        var config = Small(family);
        using var model = ModelRegistry.Create(config);
        using (torch.no_grad())
        {
            model.LogitScale.fill_(3.25);
            // One training-mode pass moves the BatchNorm statistics off their initial values, so they are tested too.
            using var scope = torch.NewDisposeScope();
            model.train();
            model.EncodeImage(Inputs(config, 4).Images);
        }

        var path = Export(model, $"{family}.safetensors");
        using var file = SafetensorsFile.Open(path);
        var translated = OpenClipModelConfig.ToClipLab(System.Text.Json.Nodes.JsonNode.Parse(file.Metadata[OpenClipExport.ConfigMetadataKey])!.AsObject(), "metadata");
        Assert.Equal(config.Vision with { }, translated.Vision);
        var import = OpenClipImporter.Import(file, translated, visionOnly: false);
        using var imported = import.Model;
        Assert.Equal(model.state_dict().Count, import.Loaded);
        Assert.Empty(import.Skipped);
        AssertIdenticalOutputs(model, imported);
    }

    [Fact]
    public void ViTB32_ExportCarriesExactlyOpenClipsKeysAndShapes_AndImportsBackIdentically()
    {
        var fixture = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Interop", "Fixtures", "open_clip_ViT-B-32_keys.txt"))
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('\t'))
            .ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(302, fixture.Count);

        torch.manual_seed(32);
        var config = OpenClipModelConfig.ToClipLab(OpenClipModelConfig.Named("ViT-B-32")!, "ViT-B-32");
        using var model = ModelRegistry.Create(config);
        var path = Export(model, "vit-b-32.safetensors");
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(fixture, file.Entries.ToDictionary(e => e.Name, e => e.ShapeText));

        using var imported = OpenClipImporter.Import(file, config, visionOnly: false).Model;
        foreach (var (name, tensor) in model.state_dict())
        {
            Assert.True(Same(tensor, imported.state_dict()[name]), name);
        }

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var (images, tokens) = Inputs(config, batch: 1);
        Assert.True(Same(model.EncodeImage(images), imported.EncodeImage(images)));
        Assert.True(Same(model.EncodeText(tokens), imported.EncodeText(tokens)));
    }

    [Fact]
    public void OpenClipViTB32Config_TranslatesToTheMatchingClipLabModel()
    {
        var config = OpenClipModelConfig.ToClipLab(OpenClipModelConfig.Named("ViT-B-32")!, "ViT-B-32");
        var vit = Assert.IsType<VisionTransformerConfig>(config.Vision);
        Assert.Equal((224, 32, 768, 12, 12, true, "token"), (vit.ImageSize, vit.PatchSize, vit.Width, vit.Depth, vit.Heads, vit.PreNorm, vit.Pool));
        Assert.Equal((49408, 77, 512, 8, 12, 49407), (config.Text.VocabSize, config.Text.ContextLength, config.Text.Width, config.Text.Heads, config.Text.Depth, config.Text.EndOfTextId));
        Assert.Equal(512, config.EmbedDim);
        Assert.Equal(["RN50", "ViT-B-16", "ViT-B-32", "ViT-L-16", "convnext_tiny"], OpenClipModelConfig.Names);
        var rn = Assert.IsType<ModifiedResNetConfig>(OpenClipModelConfig.ToClipLab(OpenClipModelConfig.Named("RN50")!, "RN50").Vision);
        Assert.Equal(new ModifiedResNetConfig(), rn with { ZeroInitLastNorm = true });
        var cn = Assert.IsType<ConvNextConfig>(OpenClipModelConfig.ToClipLab(OpenClipModelConfig.Named("convnext_tiny")!, "convnext_tiny").Vision);
        Assert.Equal(ModelRegistry.GetVision("convnext-t"), cn);
    }

    [Fact]
    public void RegisteredModels_ExportUnderOpenClipNamesOrSayWhyNot()
    {
        foreach (var name in new[] { "clip-vit-b-32", "clip-rn50", "clip-convnext-t", "clip-vit-nano-p8-32", "clip-rn-nano-32", "clip-convnext-nano-32" })
        {
            var config = ModelRegistry.GetClip(name);
            var json = OpenClipModelConfig.FromClipLab(config);
            // Channels-last is a speed setting of ClipLab's, not part of the weights or the config open_clip knows.
            var expected = config.Vision is ModifiedResNetConfig rn ? rn with { ChannelsLast = false } : config.Vision;
            Assert.Equal(expected, OpenClipModelConfig.ToClipLab(json, name).Vision);
        }

        Assert.Equal("convnext_tiny", OpenClipModelConfig.FromClipLab(ModelRegistry.GetClip("clip-convnext-t"))["vision_cfg"]!["timm_model_name"]!.GetValue<string>());
        foreach (var (name, why) in new[] { ("clip-swin-t", "timm"), ("clip-resnet50", "clip-rn50"), ("clip-mixer-b-16", "MLP-Mixer") })
        {
            var ex = Assert.Throws<InvalidOperationException>(() => OpenClipModelConfig.FromClipLab(ModelRegistry.GetClip(name)));
            Assert.Contains("cannot be written under open_clip names", ex.Message, StringComparison.Ordinal);
            Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void WrongArchitecture_IsNamedWithTheTensorThatShowsIt()
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.Create(TinyVit());
        var path = Export(model, "vit.safetensors");
        using var file = SafetensorsFile.Open(path);
        var ex = Assert.Throws<InvalidDataException>(() => OpenClipImporter.Import(file, TinyModifiedResNet(), visionOnly: false));
        Assert.Contains("holds a 'vit' image tower (tensor 'visual.transformer.resblocks.0.attn.in_proj_weight')", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'modified-resnet'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingTensor_ShapeMismatch_AndExtraTensor_NameTheTensor()
    {
        torch.manual_seed(2);
        var config = TinyVit();
        using var model = ModelRegistry.Create(config);
        var path = Export(model, "vit.safetensors");

        var missing = Rewrite(path, "missing.safetensors", e => e.Name == "visual.ln_post.weight" ? null : e.Name);
        using (var file = SafetensorsFile.Open(missing))
        {
            var ex = Assert.Throws<InvalidDataException>(() => OpenClipImporter.Import(file, config, visionOnly: false));
            Assert.Contains("tensor 'visual.ln_post.weight' (shape [32]) is missing", ex.Message, StringComparison.Ordinal);
        }

        using (var file = SafetensorsFile.Open(path))
        {
            var ex = Assert.Throws<InvalidDataException>(() => OpenClipImporter.Import(file, config with { EmbedDim = 16 }, visionOnly: false));
            Assert.Contains("tensor 'visual.proj' has shape [32, 24], but this config needs [32, 16]", ex.Message, StringComparison.Ordinal);
        }

        var extra = Rewrite(path, "extra.safetensors", e => e.Name,
            new SafetensorsTensor("visual.ln_mid.weight", SafetensorsDType.F32, [32], SafetensorsValues.EncodeFloat32(new float[32], SafetensorsDType.F32)));
        using (var file = SafetensorsFile.Open(extra))
        {
            var ex = Assert.Throws<InvalidDataException>(() => OpenClipImporter.Import(file, config, visionOnly: false));
            Assert.Contains("tensor 'visual.ln_mid.weight' has no place", ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HalfPrecisionExport_ImportsWithinHalfPrecision()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create(TinyVit());
        foreach (var dtype in new[] { SafetensorsDType.F16, SafetensorsDType.BF16 })
        {
            var path = Export(model, $"{dtype}.safetensors", dtype);
            using var file = SafetensorsFile.Open(path);
            Assert.All(file.Entries, e => Assert.Equal(dtype, e.DType));
            using var imported = OpenClipImporter.Import(file, model.Config, visionOnly: false).Model;
            var tolerance = dtype == SafetensorsDType.F16 ? 1e-3 : 8e-3;
            foreach (var (name, tensor) in model.state_dict())
            {
                Assert.True(torch.allclose(tensor, imported.state_dict()[name], rtol: tolerance, atol: 1e-4), name);
            }
        }
    }

    [Fact]
    public void PlainTimmConvNextTrunk_ImportsIntoTheImageTower_AndSkipsItsClassifier()
    {
        torch.manual_seed(4);
        var config = TinyConvNext();
        using var model = ModelRegistry.Create(config);
        var path = Export(model, "convnext.safetensors");
        // A timm checkpoint: the trunk's own names, no open_clip prefix or projection, plus timm's ImageNet classifier.
        var timm = Rewrite(path, "timm.safetensors",
            e => e.Name.StartsWith("visual.trunk.", StringComparison.Ordinal) ? e.Name["visual.trunk.".Length..] : null,
            new SafetensorsTensor("head.fc.weight", SafetensorsDType.F32, [10, 32], SafetensorsValues.EncodeFloat32(new float[320], SafetensorsDType.F32)),
            new SafetensorsTensor("head.fc.bias", SafetensorsDType.F32, [10], SafetensorsValues.EncodeFloat32(new float[10], SafetensorsDType.F32)));

        torch.manual_seed(99);
        using var file = SafetensorsFile.Open(timm);
        var import = OpenClipImporter.Import(file, config, visionOnly: false);
        using var imported = import.Model;
        Assert.True(import.TimmLayout);
        Assert.Equal(2, import.Skipped.Count);
        Assert.Contains(import.KeptInitial, k => k.StartsWith("visual.proj.weight", StringComparison.Ordinal));
        foreach (var (name, tensor) in model.state_dict().Where(p => p.Key.StartsWith("visual.", StringComparison.Ordinal) && p.Key != "visual.proj.weight"))
        {
            Assert.True(Same(tensor, imported.state_dict()[name]), name);
        }

        Assert.False(Same(model.state_dict()["visual.proj.weight"], imported.state_dict()["visual.proj.weight"]));
    }

    [Fact]
    public void VisionOnlyImport_LeavesTheTextTowerAtItsInitialValues()
    {
        torch.manual_seed(6);
        var config = TinyVit();
        using var model = ModelRegistry.Create(config);
        var path = Export(model, "vit.safetensors");
        using var file = SafetensorsFile.Open(path);
        torch.manual_seed(7);
        var import = OpenClipImporter.Import(file, config, visionOnly: true);
        using var imported = import.Model;
        Assert.Contains(import.Skipped, s => s.StartsWith("token_embedding.weight", StringComparison.Ordinal));
        Assert.True(Same(model.state_dict()["visual.proj.weight"], imported.state_dict()["visual.proj.weight"]));
        Assert.False(Same(model.state_dict()["text.token_embedding.weight"], imported.state_dict()["text.token_embedding.weight"]));
    }

    [Fact]
    public void OpenClipConfig_SettingsClipLabCannotReproduce_AreRefusedByName()
    {
        var quick = OpenClipModelConfig.Named("ViT-B-32")!;
        quick["quick_gelu"] = true;
        Assert.Contains("quick_gelu", Assert.Throws<InvalidDataException>(() => OpenClipModelConfig.ToClipLab(quick, "cfg")).Message, StringComparison.Ordinal);

        var layerScale = OpenClipModelConfig.Named("ViT-B-32")!;
        layerScale["vision_cfg"]!["ls_init_value"] = 0.1;
        Assert.Contains("vision_cfg.ls_init_value = 0.1", Assert.Throws<InvalidDataException>(() => OpenClipModelConfig.ToClipLab(layerScale, "cfg")).Message, StringComparison.Ordinal);

        var unknown = OpenClipModelConfig.Named("RN50")!;
        unknown["text_cfg"]!["rotary"] = true;
        Assert.Contains("text_cfg.rotary is not a setting", Assert.Throws<InvalidDataException>(() => OpenClipModelConfig.ToClipLab(unknown, "cfg")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PreNormOff_KeepsTodaysViT_AndOn_AddsOnlyLnPre()
    {
        using var plain = ModelRegistry.Create(TinyModels.Clip());
        using var withLnPre = ModelRegistry.Create(TinyModels.Clip() with { Vision = TinyModels.Vision() with { PreNorm = true } });
        var added = withLnPre.state_dict().Keys.Except(plain.state_dict().Keys).Order().ToList();
        Assert.Equal(["visual.ln_pre.bias", "visual.ln_pre.weight"], added);
        Assert.Empty(plain.state_dict().Keys.Except(withLnPre.state_dict().Keys));
        Assert.Equal(withLnPre.parameters().Sum(p => p.numel()),
            ((VisionTransformerConfig)withLnPre.Config.Vision).Cost(24).Parameters + withLnPre.Config.Text.Cost(24).Parameters + ClipModel.TemperatureParameters);
    }
    [Fact]
    public void ImportedRun_NeedsAMatchingTokenizerOrVisionOnly_AndCannotBeResumed()
    {
        torch.manual_seed(8);
        // Vocabulary 40 and end-of-text 3 do not match ClipLab's shipped 8k tokenizer.
        using var model = ModelRegistry.Create(TinyVit());
        var path = Export(model, "vit.safetensors");

        var ex = Assert.Throws<InvalidDataException>(() => ImportedRun.Write(path, null, null, null, visionOnly: false, Path.Combine(_dir, "run")));
        Assert.Contains("40-token vocabulary", ex.Message, StringComparison.Ordinal);
        Assert.Contains("--vision-only", ex.Message, StringComparison.Ordinal);

        var result = ImportedRun.Write(path, null, null, null, visionOnly: true, Path.Combine(_dir, "run"));
        Assert.Equal(8192, result.Config.Text.VocabSize);
        var (_, _, loaded, folder) = Checkpoint.LoadTrained(Path.Combine(_dir, "run"));
        using (loaded)
        {
            Assert.True(Same(model.state_dict()["visual.proj.weight"], loaded.state_dict()["visual.proj.weight"]));
            using var optimizer = new AdamW(loaded.ParameterGroups().Select(g => (g.Parameter, g.Decay)), 0.9, 0.98, 1e-6, 0.1);
            var resume = Assert.Throws<InvalidDataException>(() => Checkpoint.LoadInto(folder, loaded, optimizer));
            Assert.Contains("cannot resume", resume.Message, StringComparison.Ordinal);
        }
    }
}
