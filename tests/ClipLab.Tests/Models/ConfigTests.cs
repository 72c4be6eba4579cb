using Xunit;
using ClipLab.Models;

namespace ClipLab.Tests.Models;

public sealed class ConfigTests
{
    [Fact]
    public void Defaults_AreValidAndMatchSpec()
    {
        var vit = new VisionTransformerConfig();
        vit.Validate();
        Assert.Equal((224, 16, 3, 768, 12, 12, 4.0, "token"),
            (vit.ImageSize, vit.PatchSize, vit.Channels, vit.Width, vit.Depth, vit.Heads, vit.MlpRatio, vit.Pool));
        var text = new TextTransformerConfig();
        text.Validate();
        Assert.Equal((8192, 16, 512, 12, 8, 4.0, 3, 0),
            (text.VocabSize, text.ContextLength, text.Width, text.Depth, text.Heads, text.MlpRatio, text.EndOfTextId, text.PadId));
        var clip = new ClipModelConfig { Vision = vit, Text = text };
        clip.Validate();
        Assert.Equal((512, Math.Log(1 / 0.07), Math.Log(100)), (clip.EmbedDim, clip.InitLogitScale, clip.MaxLogitScale));
    }

    [Fact]
    public void Vit_ImageSizeNotDivisibleByPatch_NamesFieldValueAndRule()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VisionTransformerConfig { ImageSize = 230, PatchSize = 16 }.Validate());
        Assert.Equal("ImageSize", ex.ParamName);
        Assert.Contains("230", ex.Message);
        Assert.Contains("PatchSize (16)", ex.Message);
    }

    [Fact]
    public void Vit_WidthNotDivisibleByHeads_NamesFieldValueAndRule()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VisionTransformerConfig { Width = 100, Heads = 12 }.Validate());
        Assert.Equal("Width", ex.ParamName);
        Assert.Contains("100", ex.Message);
        Assert.Contains("Heads (12)", ex.Message);
    }

    [Fact]
    public void Vit_UnknownPool_ListsChoices()
    {
        var ex = Assert.Throws<ArgumentException>(() => new VisionTransformerConfig { Pool = "max" }.Validate());
        Assert.Equal("Pool", ex.ParamName);
        Assert.Contains("'max'", ex.Message);
        Assert.Contains("token, mean", ex.Message);
    }

    [Fact]
    public void NonPositiveSizes_ReportValidRange()
    {
        var depth = Assert.Throws<ArgumentException>(() => new VisionTransformerConfig { Depth = 0 }.Validate());
        Assert.Equal("Depth", depth.ParamName);
        Assert.Contains("= 0", depth.Message);
        Assert.Contains("[1, ∞)", depth.Message);

        var eot = Assert.Throws<ArgumentException>(() => new TextTransformerConfig { VocabSize = 100, EndOfTextId = 100 }.Validate());
        Assert.Equal("EndOfTextId", eot.ParamName);
        Assert.Contains("[0, 99]", eot.Message);

        var heads = Assert.Throws<ArgumentException>(() => new TextTransformerConfig { Width = 512, Heads = 7 }.Validate());
        Assert.Equal("Width", heads.ParamName);

        var embed = Assert.Throws<ArgumentException>(() =>
            new ClipModelConfig { Vision = new VisionTransformerConfig(), Text = new TextTransformerConfig(), EmbedDim = -4 }.Validate());
        Assert.Equal("EmbedDim", embed.ParamName);
        Assert.Contains("-4", embed.Message);

        var scale = Assert.Throws<ArgumentException>(() =>
            new ClipModelConfig { Vision = new VisionTransformerConfig(), Text = new TextTransformerConfig(), InitLogitScale = 5 }.Validate());
        Assert.Equal("InitLogitScale", scale.ParamName);
    }

    [Fact]
    public void ClipConfig_ValidatesNestedTowers()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            new ClipModelConfig { Vision = new VisionTransformerConfig { Pool = "cls" }, Text = new TextTransformerConfig() }.Validate());
        Assert.Equal("Pool", ex.ParamName);
        Assert.Throws<ArgumentException>(() => ModelRegistry.Create(ModelRegistry.GetClip("clip-vit-nano-p8-32") with { EmbedDim = 0 }));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClipConfig_JsonRoundTrip_PreservesPolymorphicVision(bool camelCase)
    {
        var original = ModelRegistry.GetClip("clip-vit-micro-p4-32") with
        {
            Vision = (VisionTransformerConfig)ModelRegistry.GetVision("vit-micro-p4-32") with { Pool = "mean" },
        };

        var (json, restored) = ClipConfigJson.RoundTrip(original, camelCase);
        Assert.Contains("\"type\":\"vit\"", json);
        Assert.Contains(camelCase ? "\"patchSize\":4" : "\"PatchSize\":4", json);
        Assert.DoesNotContain("umPatches", json);
        Assert.IsType<VisionTransformerConfig>(restored.Vision);
    }
}
