using Xunit;
using ClipLab.Models;
using TorchSharp;

namespace ClipLab.Tests.Models;

public sealed class MlpMixerTests
{
    /// <summary>16 px with 4-pixel patches: 16 tokens.</summary>
    private static MlpMixerConfig Tiny() => new()
    {
        ImageSize = 16, PatchSize = 4, Width = 16, Depth = 2, TokenMlpDim = 8, ChannelMlpDim = 32,
    };

    [Fact]
    public void ForwardBackward_GradientsReachEveryParameter()
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(Tiny());

    [Fact]
    public void TokenMlp_ActsAcrossPatches_ChannelMlpAcrossChannels()
    {
        using var tower = Tiny().Build(8);
        var shapes = tower.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(new long[] { 8, 16 }, shapes["blocks.0.mlp_tokens.fc1.weight"]); // [TokenMlpDim, NumPatches]
        Assert.Equal(new long[] { 16, 8 }, shapes["blocks.0.mlp_tokens.fc2.weight"]);
        Assert.Equal(new long[] { 32, 16 }, shapes["blocks.0.mlp_channels.fc1.weight"]); // [ChannelMlpDim, Width]
        Assert.Equal(new long[] { 16, 3, 4, 4 }, shapes["stem.weight"]);
        Assert.Equal(new long[] { 16 }, shapes["stem.bias"]);
        Assert.Equal(new long[] { 8, 16 }, shapes["proj.weight"]);
        Assert.DoesNotContain("proj.bias", shapes.Keys);
    }

    [Fact]
    public void TokenMixing_SpreadsOnePatchToAllTokens()
    {
        // Changing the pixels of one patch must change every token after one block (token mixing), whereas the
        // patch embedding alone changes only that token. The pooled output changes either way, so test the tokens.
        torch.manual_seed(6);
        using var block = new MixerBlock(tokens: 16, width: 16, tokenMlpDim: 8, channelMlpDim: 32);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1, 16, 16);
        var changed = x.clone();
        changed[0, 5] = torch.randn(16);
        var delta = (block.call(changed) - block.call(x)).abs().amax([2]).squeeze(0);
        Assert.True(delta.gt(1e-6).all().ToBoolean());
    }

    [Fact]
    public void Forward_WrongImageSize_Throws()
    {
        using var tower = Tiny().Build(8);
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => tower.call(torch.rand(1, 3, 32, 32)));
        Assert.Contains("[B, 3, 16, 16]", ex.Message);
    }

    [Fact]
    public void InvalidConfig_ReportsFieldAndValidValues()
    {
        var size = Assert.Throws<ArgumentException>(() => new MlpMixerConfig { ImageSize = 230 }.Validate());
        Assert.Equal("ImageSize", size.ParamName);
        Assert.Contains("PatchSize (16)", size.Message);
        Assert.Contains("16, 32, 48", size.Message);

        var tokens = Assert.Throws<ArgumentException>(() => new MlpMixerConfig { TokenMlpDim = 0 }.Validate());
        Assert.Equal("TokenMlpDim", tokens.ParamName);
        Assert.Contains("[1, ∞)", tokens.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClipConfig_JsonRoundTrip_PreservesMixerVision(bool camelCase)
    {
        var (json, restored) = ClipConfigJson.RoundTrip(ModelRegistry.GetClip("clip-mixer-nano-p4-32"), camelCase);
        Assert.Contains("\"type\":\"mixer\"", json);
        Assert.Contains(camelCase ? "\"tokenMlpDim\":64" : "\"TokenMlpDim\":64", json);
        Assert.DoesNotContain("umPatches", json);
        Assert.IsType<MlpMixerConfig>(restored.Vision);
    }

    /// <summary>
    /// timm at 224 px. Mixer-B/16: 12.62 GMACs, 59.88M − 0.769M head; Mixer-B/32: 3.24 GMACs, 60.29M − 0.769M head.
    /// Mixer-S/16 has no timm weights and so no results-table row; its figures (3.79 GMACs, 18.53M − 0.513M head) come from
    /// instantiating timm's mixer_s16_224 and agree with the paper's Table 1 (18M).
    /// </summary>
    [Theory]
    [InlineData("mixer-b-16", 12.62, 59.88e6 - 769_000)]
    [InlineData("mixer-b-32", 3.24, 60.29e6 - 769_000)]
    [InlineData("mixer-s-16", 3.79, 18.53e6 - 513_000)]
    public void Cost_MatchesPublishedFigures(string name, double publishedGMacs, double publishedTrunkParameters)
    {
        var config = ModelRegistry.GetVision(name);
        Assert.Equal(224, config.ImageSize);
        var cost = config.Cost(embedDim: 512);
        Assert.InRange(cost.TrunkMacs / 1e9, publishedGMacs * 0.97, publishedGMacs * 1.03);
        Assert.InRange(cost.TrunkParameters, publishedTrunkParameters * 0.99, publishedTrunkParameters * 1.01);
    }
}
