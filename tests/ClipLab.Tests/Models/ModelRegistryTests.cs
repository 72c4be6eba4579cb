using Xunit;
using ClipLab.Models;
using TorchSharp;

namespace ClipLab.Tests.Models;

public sealed class ModelRegistryTests
{
    public static TheoryData<string> ClipNames() => new(ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Clip).Select(e => e.Name));

    [Fact]
    public void Entries_ContainAllRequiredNames()
    {
        // Built-in entries only: tests also register models of their own (OpenRegistryTests).
        var byKind = ModelRegistry.Entries.Where(e => e.BuiltIn).ToLookup(e => e.Kind, e => e.Name);
        // The paper-scale names and one scaled-down CPU member of every family (order-insensitive).
        string[] vision =
        [
            "vit-ti-16", "vit-s-16", "vit-b-32", "vit-b-16", "vit-l-16", "resnet50", "clip-rn50", "convnext-t", "swin-t",
            "mixer-s-16", "mixer-b-16", "mixer-b-32",
            "vit-nano-p8-32", "vit-micro-p4-32", "vit-mini-p4-64", "resnet-nano-32", "clip-rn-nano-32", "convnext-nano-32",
            "swin-nano-p2-32", "mixer-nano-p4-32",
        ];
        Assert.Equal(vision.Order(), byKind[ModelKind.Vision].Order());
        Assert.Equal(["text-ti", "text-s", "text-b", "text-nano", "text-micro", "text-mini"], byKind[ModelKind.Text]);
        // CLIP models are "clip-" + the vision tower's name, except towers already named "clip-..." (CLIP's modified ResNet).
        Assert.Equal(vision.Select(v => v.StartsWith("clip-", StringComparison.Ordinal) ? v : "clip-" + v).Order(), byKind[ModelKind.Clip].Order());
        Assert.All(ModelRegistry.Entries, e => Assert.False(string.IsNullOrWhiteSpace(e.Description)));
    }

    [Theory]
    [MemberData(nameof(ClipNames))]
    public void GetClip_ReturnsValidConfig(string name)
    {
        var config = ModelRegistry.GetClip(name);
        config.Validate();
        Assert.Equal(config.EmbedDim == 768, name == "clip-vit-l-16");
    }

    [Fact]
    public void Configs_MatchPublishedShapes()
    {
        var l16 = Assert.IsType<VisionTransformerConfig>(ModelRegistry.GetVision("vit-l-16"));
        Assert.Equal((224, 16, 1024, 24, 16, 4.0), (l16.ImageSize, l16.PatchSize, l16.Width, l16.Depth, l16.Heads, l16.MlpRatio));
        var b32 = Assert.IsType<VisionTransformerConfig>(ModelRegistry.GetVision("vit-b-32"));
        Assert.Equal((32, 768, 12), (b32.PatchSize, b32.Width, b32.Heads));
        var mini = Assert.IsType<VisionTransformerConfig>(ModelRegistry.GetVision("vit-mini-p4-64"));
        Assert.Equal((64, 4, 256, 6, 4), (mini.ImageSize, mini.PatchSize, mini.Width, mini.Depth, mini.Heads));
        var textB = ModelRegistry.GetText("text-b");
        Assert.Equal((768, 12, 12, 16), (textB.Width, textB.Depth, textB.Heads, textB.ContextLength));
        Assert.Equal(ModelRegistry.GetText("text-nano"), ModelRegistry.GetClip("clip-vit-nano-p8-32").Text);
        Assert.Equal(128, ModelRegistry.GetClip("clip-vit-nano-p8-32").EmbedDim);
    }

    [Fact]
    public void Create_ByName_BuildsSmallModel()
    {
        using var model = ModelRegistry.Create("clip-vit-nano-p8-32");
        Assert.Equal(128, model.Visual.OutputDim);
        Assert.Equal(ModelRegistry.GetClip("clip-vit-nano-p8-32"), model.Config);
        Assert.Equal(2_498_689, model.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void UnknownNames_ThrowWithListOfValidNames()
    {
        var clip = Assert.Throws<KeyNotFoundException>(() => ModelRegistry.GetClip("clip-vit-huge"));
        Assert.Contains("clip-vit-huge", clip.Message);
        Assert.All(ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Clip), e => Assert.Contains(e.Name, clip.Message));

        var vision = Assert.Throws<KeyNotFoundException>(() => ModelRegistry.GetVision("resnet-50"));
        Assert.All(ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Vision), e => Assert.Contains(e.Name, vision.Message));
        Assert.DoesNotContain("text-b", vision.Message);

        var text = Assert.Throws<KeyNotFoundException>(() => ModelRegistry.GetText("text-xl"));
        Assert.All(ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Text), e => Assert.Contains(e.Name, text.Message));

        Assert.Throws<KeyNotFoundException>(() => ModelRegistry.Create("nope"));
    }
}
