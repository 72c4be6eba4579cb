using System.Text.Json;
using ClipLab.Models;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Models;

public sealed class OpenRegistryTests
{
    [Fact]
    public void ExampleFamily_RegisteredByOneLine_TrainsForAStep()
    {
        var entry = Assert.Single(ModelRegistry.Entries, e => e.Name == "clip-tinyconv-8-16");
        Assert.False(entry.BuiltIn);
        Assert.Equal("tinyconv", ModelRegistry.GetVision("tinyconv-8-16").Family);
        torch.manual_seed(3);
        using var model = ModelRegistry.Create("clip-tinyconv-8-16");
        Assert.Equal(["weight", "bias"], model.Visual.named_parameters().Select(p => p.name).Where(n => n.StartsWith("conv.", StringComparison.Ordinal)).Select(n => n[5..]));
        Assert.Contains(model.Visual.named_parameters(), p => p.name == "proj.weight");
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-2);
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(4, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [4, 16], dtype: torch.int64);
        tokens[.., 5] = torch.tensor(TinyModels.EndOfText);
        var before = model.Visual.named_parameters().First(p => p.name == "conv.weight").parameter.clone();
        var (image, text) = model.forward(images, tokens);
        Assert.Equal(new long[] { 4, 32 }, image.shape);
        var logits = image.matmul(text.t()) * model.LogitScale.exp();
        var loss = torch.nn.functional.cross_entropy(logits, torch.arange(4));
        loss.backward();
        optimizer.step();
        Assert.True(loss.isfinite().ToBoolean());
        Assert.False(before.allclose(model.Visual.named_parameters().First(p => p.name == "conv.weight").parameter));
    }

    [Fact]
    public void TokenMasking_IsACapabilityTheTowerDeclares()
    {
        Assert.NotNull(TinyModels.Vision().TokenMasking());
        Assert.Equal(16, TinyModels.Vision().TokenMasking()!.NumPatches);
        Assert.Null(ModelRegistry.GetVision("resnet-nano-32").TokenMasking());
        Assert.Null(new TinyConvConfig().TokenMasking());

        using var model = ModelRegistry.Create(ModelRegistry.GetClip("clip-tinyconv-8-16"));
        using var scope = torch.NewDisposeScope();
        var keep = torch.zeros(2, 1, dtype: torch.int64);
        var ex = Assert.Throws<NotSupportedException>(() => model.EncodeImage(torch.rand(2, 3, 16, 16), keep));
        Assert.Contains(nameof(ITokenMaskingTower), ex.Message);
        Assert.Contains("TinyConv", ex.Message);

        using var vit = ModelRegistry.Create(TinyModels.Clip());
        Assert.IsAssignableFrom<ITokenMaskingTower>(vit.Visual);
        Assert.Equal(new long[] { 2, 24 }, vit.EncodeImage(torch.rand(2, 3, 16, 16), keep).shape);
    }

    [Fact]
    public void ValueList_ComparesByValue_AndIsAPlainJsonArray()
    {
        ValueList<int> a = [1, 2, 3];
        ValueList<int> b = new[] { 1, 2, 3 };
        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, [1, 2]);
        Assert.Equal("[1, 2, 3]", a.ToString());
        Assert.Equal("[1,2,3]", JsonSerializer.Serialize(a));
        Assert.Equal(a, JsonSerializer.Deserialize<ValueList<int>>("[1, 2, 3]"));

        // Configs holding lists keep value equality (no hand-written Equals) and their JSON keeps plain arrays.
        var swin = (SwinTransformerConfig)ModelRegistry.GetVision("swin-nano-p2-32");
        Assert.Equal(swin, swin with { Depths = [2, 2, 2, 1] });
        Assert.NotEqual(swin, swin with { Heads = [1, 2, 4, 4] });
        Assert.Equal(swin.GetHashCode(), (swin with { Depths = [2, 2, 2, 1] }).GetHashCode());
        var json = JsonSerializer.Serialize<VisionTowerConfig>(swin);
        Assert.Contains("\"Depths\":[2,2,2,1]", json);
        Assert.Contains("\"Heads\":[1,2,4,8]", json);
        Assert.Equal(swin, JsonSerializer.Deserialize<VisionTowerConfig>(json));
        var resnet = new ResNetConfig { Layers = [1, 1, 1, 1] };
        Assert.Equal(resnet, new ResNetConfig { Layers = new[] { 1, 1, 1, 1 } });
        Assert.NotEqual(resnet, new ResNetConfig());
    }

    [Fact]
    public void Register_FromCode_AddsAModelByName_AndRefusesATakenName()
    {
        var config = TinyModels.Clip() with { EmbedDim = 20 };
        var entry = ModelRegistry.Register("test-clip-from-code", "test: a tiny ViT CLIP registered from C#", config);
        Assert.Equal(ModelKind.Clip, entry.Kind);
        Assert.Equal(config, ModelRegistry.GetClip("test-clip-from-code"));
        Assert.Contains(ModelRegistry.Entries, e => e.Name == "test-clip-from-code");
        var taken = Assert.Throws<ArgumentException>(() => ModelRegistry.Register("test-clip-from-code", "again", config));
        Assert.Contains("already registered", taken.Message);
        Assert.Throws<ArgumentException>(() => ModelRegistry.Register("test-bad-vision", "invalid", new VisionTransformerConfig { Width = 30, Heads = 4 }));
        Assert.Throws<KeyNotFoundException>(() => ModelRegistry.GetVision("test-bad-vision"));
        // A size whose text tower is unknown adds neither the tower nor its CLIP model.
        Assert.Throws<KeyNotFoundException>(() => ModelRegistry.Register(new VisionSize("test-orphan", "x", ModelScale.Cpu, TinyModels.Vision(), "text-none", 8)));
        Assert.DoesNotContain(ModelRegistry.Entries, e => e.Name.Contains("test-orphan", StringComparison.Ordinal));
    }

    [Fact]
    public void RegisterFile_ReadsAModelFile_AndNamesABadKey()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cliplab-tests", "model-file-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "pico.json");
        File.WriteAllText(path, """
            {
              // a model config exactly as a run config's modelConfig
              "name": "test-clip-vit-pico-from-file",
              "model": {
                "vision": { "type": "vit", "imageSize": 16, "patchSize": 4, "width": 32, "depth": 1, "heads": 2 },
                "text": { "vocabSize": 40, "contextLength": 8, "width": 32, "depth": 1, "heads": 2 },
                "embedDim": 16,
              },
            }
            """);
        var entry = ModelRegistry.RegisterFile(path);
        Assert.Equal("test-clip-vit-pico-from-file", entry.Name);
        Assert.Contains("pico.json", entry.Description);
        var config = ModelRegistry.GetClip("test-clip-vit-pico-from-file");
        Assert.Equal((16, 16), (config.EmbedDim, config.Vision.ImageSize));
        using var model = ModelRegistry.Create("test-clip-vit-pico-from-file");
        Assert.Equal(16, model.Visual.OutputDim);

        string bad = Path.Combine(dir, "bad.json");
        File.WriteAllText(bad, """{"name": "test-bad-file", "model": {"vision": {"type": "vit"}, "text": {}, "embedDimm": 3}}""");
        var ex = Assert.Throws<InvalidDataException>(() => ModelRegistry.RegisterFile(bad));
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains("embedDimm", ex.Message);
        Assert.Throws<InvalidDataException>(() => ModelRegistry.RegisterFile(Path.Combine(dir, "missing.json")));
        Directory.Delete(dir, recursive: true);
    }
}
