using Xunit;
using ClipLab.Models;
using ClipLab.Models.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

/// <summary>The ResNet family: torchvision/timm <c>resnet50</c> (<see cref="ResNet"/>) and CLIP's <see cref="ModifiedResNet"/>.</summary>
public sealed class ResNetTests
{
    // Small configs: 32 px (a 1×1 final grid), one block per stage, width 8. The zero-initialised last BatchNorm gain would
    // block every gradient inside a residual branch at step 0, so the gradient check turns it off (tested separately below).
    private static ResNetConfig TinyResNet(bool zeroInit = false) => new()
    {
        ImageSize = 32, Layers = [1, 1, 2, 1], WidthMultiplier = 0.125, ZeroInitLastNorm = zeroInit,
    };

    private static ModifiedResNetConfig TinyModified(int imageSize = 32, bool zeroInit = false) => new()
    {
        ImageSize = imageSize, Layers = [1, 1, 2, 1], WidthMultiplier = 0.125, HeadWidth = 32, ZeroInitLastNorm = zeroInit,
    };

    /// <summary>
    /// ResNet-50 against timm's results table at 224 px: 4.11 GMACs and 25.56M parameters, of which the 2048→1000 classifier
    /// (2,049,000) is the head, leaving a 23.51M trunk. timm's GMACs include the classifier's 2M; ours counts the trunk only.
    /// </summary>
    [Fact]
    public void ResNet50_MatchesPublishedFigures()
    {
        var config = ModelRegistry.GetVision("resnet50");
        Assert.Equal(224, config.ImageSize);
        var cost = config.Cost(embedDim: 512);
        Assert.InRange(cost.TrunkMacs / 1e9, 4.11 * 0.97, 4.11 * 1.03);
        Assert.InRange(cost.TrunkParameters, 23.51e6 * 0.99, 23.51e6 * 1.01);
        Assert.Equal(25_557_032 - 2_049_000, cost.TrunkParameters); // torchvision's exact count minus its fc layer
        Assert.Equal(2048L * 512, cost.HeadParameters);
    }

    /// <summary>
    /// CLIP RN50 image tower with open_clip's embed 1024. What we compare against, and where it comes from:
    /// <list type="bullet">
    /// <item>Parameters: open_clip's docs/model_profile.csv lists RN50 image_mparams = 38.32 (trunk + attention pool).</item>
    /// <item>GMACs of the whole tower: the same table lists image_gflops = 12.22, i.e. 6.11 GMACs (its GFLOPs are 2 × MACs:
    /// ViT-B-32 is listed 8.82 where timm says 4.41 GMACs). That profile ran open_clip's AttentionPool2d, which projects all
    /// 50 tokens to queries and through c_proj and keeps only the first row; ours projects only the mean-token query (as CLIP's
    /// original code), so we add those discarded rows back before comparing.</item>
    /// <item>Trunk ≈ 5.4 GMACs: the figure usually quoted for the RN50 image tower without its pool; we did not find a primary
    /// table for it. It agrees with a hand count: ResNet-50's 4.09 + 0.24 for the 3-conv stem + 3 × 0.35 for the 3×3
    /// convolutions that the anti-aliased blocks run at the input resolution.</item>
    /// </list>
    /// </summary>
    [Fact]
    public void ClipRn50_MatchesOpenClipProfile()
    {
        var config = (ModifiedResNetConfig)ModelRegistry.GetVision("clip-rn50");
        Assert.Equal((224, 7, 2048, 32), (config.ImageSize, config.GridSide, config.FeatureChannels, config.Heads));
        var cost = config.Cost(embedDim: 1024);
        Assert.InRange(cost.Parameters, 38.32e6 * 0.99, 38.32e6 * 1.01);
        Assert.InRange(cost.TrunkMacs / 1e9, 5.4 * 0.97, 5.4 * 1.03);

        const double tokens = 7 * 7 + 1, width = 2048, embed = 1024;
        double allTokenQueriesExtra = (tokens - 1) * (width * width + width * embed) + 2 * (tokens - 1) * tokens * width;
        Assert.InRange((cost.Macs + allTokenQueriesExtra) / 1e9, 6.11 * 0.97, 6.11 * 1.03);
    }

    [Fact]
    public void ForwardBackward_ResNet_GradientsReachEveryParameter()
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(TinyResNet());

    [Fact]
    public void ForwardBackward_ModifiedResNet_GradientsReachEveryParameter()
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(TinyModified());

    [Fact]
    public void ForwardBackward_ModifiedResNet_LargerGrid()
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(TinyModified(imageSize: 64), batch: 2);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Cost_EqualsBuiltModule_ForSmallConfigs(bool modified)
    {
        VisionTowerConfig config = modified ? TinyModified(imageSize: 96) : TinyResNet() with { ImageSize = 72 };
        var analytic = config.Cost(embedDim: 24);
        torch.manual_seed(0);
        using var tower = config.Build(24);
        Assert.Equal(analytic.Parameters, tower.parameters().Sum(p => p.numel()));
        tower.eval();
        // 72 is not a multiple of 32, so the ResNet's ceil-mode side arithmetic is exercised too.
        var measured = MacCounter.MeasureForward(tower, torch.zeros(2, 3, config.ImageSize, config.ImageSize));
        Assert.Equal(analytic.Macs, measured, analytic.Macs * 1e-9);
    }

    [Fact]
    public void ZeroInitLastNorm_BlocksStartAsTheirShortcut()
    {
        // With the last gain at zero the residual branch adds only BatchNorm's zero shift, so an identity block
        // outputs relu(x) = x for the non-negative x it receives after a ReLU.
        torch.manual_seed(5);
        using var block = new Bottleneck(32, 8, stride: 1, antiAliased: false);
        block.InitializeLastNorm(zero: true);
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(2, 32, 5, 5);
        Assert.True(torch.allclose(block.call(x), x, rtol: 0, atol: 1e-6));
        block.InitializeLastNorm(zero: false);
        Assert.False(torch.allclose(block.call(x), x, rtol: 0, atol: 1e-3));
    }

    [Fact]
    public void AntiAliasedBlock_PoolsAfterTheSpatialConvAndOnTheShortcut()
    {
        // Anti-aliased and strided blocks share their parameters, so load the same weights into both and compare:
        // the outputs have the same shape, but differ (average pooling vs striding).
        torch.manual_seed(6);
        using var strided = new Bottleneck(16, 8, stride: 2, antiAliased: false);
        using var pooled = new Bottleneck(16, 8, stride: 2, antiAliased: true);
        pooled.load_state_dict(strided.state_dict());
        strided.eval();
        pooled.eval();
        using var scope = torch.NewDisposeScope();
        var x = torch.rand(2, 16, 8, 8);
        var a = strided.call(x);
        var b = pooled.call(x);
        Assert.Equal(new long[] { 2, 32, 4, 4 }, a.shape);
        Assert.Equal(a.shape, b.shape);
        Assert.False(torch.allclose(a, b, rtol: 1e-3, atol: 1e-4));
        Assert.Contains("downsample.0.weight", pooled.state_dict().Keys);
        Assert.Contains("downsample.1.running_mean", pooled.state_dict().Keys);
    }

    [Fact]
    public void AttentionPool_EqualsExplicitSingleQueryAttention()
    {
        torch.manual_seed(8);
        const int channels = 16, heads = 4, embed = 6;
        using var pool = new AttentionPool2d(gridSide: 2, channels, heads, embed);
        using var scope = torch.NewDisposeScope();
        var features = torch.randn(3, channels, 2, 2);
        var p = pool.state_dict();

        // Reference: tokens = [mean; pixels] + pos; one softmax(q·kᵀ/√d)·v per head with the mean token as query.
        var grid = features.flatten(2).transpose(1, 2);
        var tokens = torch.cat([grid.mean([1], keepdim: true), grid], 1) + p["positional_embedding"];
        Tensor Project(string name, Tensor t) => nn.functional.linear(t, p[name + ".weight"], p[name + ".bias"]);
        var q = Project("q_proj", tokens.narrow(1, 0, 1)).view(3, 1, heads, 4).transpose(1, 2);
        var k = Project("k_proj", tokens).view(3, 5, heads, 4).transpose(1, 2);
        var v = Project("v_proj", tokens).view(3, 5, heads, 4).transpose(1, 2);
        var weights = torch.softmax(q.matmul(k.transpose(-2, -1)) / 2.0, -1);
        var expected = Project("c_proj", weights.matmul(v).reshape(3, channels));

        Assert.True(torch.allclose(pool.call(features), expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void StateDictKeys_FollowTorchvisionAndOpenClip()
    {
        using var resnet = TinyResNet().Build(8);
        var keys = resnet.state_dict().Keys.ToHashSet();
        Assert.Contains("conv1.weight", keys);
        Assert.Contains("layer1.0.downsample.0.weight", keys);
        Assert.Contains("layer4.0.bn3.running_var", keys);
        Assert.Contains("proj.weight", keys);

        using var modified = TinyModified().Build(8);
        keys = modified.state_dict().Keys.ToHashSet();
        Assert.Contains("conv3.weight", keys);
        Assert.Contains("bn3.num_batches_tracked", keys);
        Assert.Contains("layer3.1.conv2.weight", keys);
        Assert.Contains("attnpool.positional_embedding", keys);
        Assert.Contains("attnpool.c_proj.bias", keys);
    }

    [Fact]
    public void Eval_UsesRunningStatistics()
    {
        // In eval mode each image is encoded independently of its batch (BatchNorm uses running statistics).
        torch.manual_seed(9);
        using var tower = TinyModified(zeroInit: true).Build(8);
        tower.eval();
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(4, 3, 32, 32) * 2 - 1;
        var together = tower.call(images);
        var alone = tower.call(images.narrow(0, 0, 1));
        Assert.True(torch.allclose(together.narrow(0, 0, 1), alone, rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ChannelsLast_SameOutputAndContiguousWeightGradients(bool modified)
    {
        // A batch large enough to be converted; the weights (and so checkpoints and optimizer state) keep the default layout.
        VisionTowerConfig plainConfig = modified ? TinyModified() : TinyResNet();
        VisionTowerConfig fastConfig = modified ? TinyModified() with { ChannelsLast = true } : TinyResNet() with { ChannelsLast = true };
        torch.manual_seed(10);
        using var plain = plainConfig.Build(8);
        torch.manual_seed(10);
        using var fast = fastConfig.Build(8);
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(ResNetConfig.ChannelsLastMinBatch, 3, 32, 32) * 2 - 1;
        var expected = plain.call(images);
        var actual = fast.call(images);
        Assert.True(torch.allclose(actual, expected, rtol: 1e-4, atol: 1e-4)); // summation order differs
        actual.pow(2).sum().backward();
        Assert.All(fast.parameters(), p => Assert.True(p.is_contiguous() && p.grad!.is_contiguous()));
    }

    [Fact]
    public void Forward_WrongImageSize_Throws()
    {
        using var tower = TinyResNet().Build(8);
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => tower.call(torch.rand(1, 3, 64, 64)));
        Assert.Contains("[B, 3, 32, 32]", ex.Message);
    }

    [Fact]
    public void Validation_NamesFieldValueAndValidValues()
    {
        var size = Assert.Throws<ArgumentException>(() => new ModifiedResNetConfig { ImageSize = 48 }.Validate());
        Assert.Equal("ImageSize", size.ParamName);
        Assert.Contains("48", size.Message);
        Assert.Contains("TotalStride (32)", size.Message);
        Assert.Contains("32, 64, 96", size.Message);

        var small = Assert.Throws<ArgumentException>(() => new ResNetConfig { ImageSize = 16 }.Validate());
        Assert.Equal("ImageSize", small.ParamName);
        Assert.Contains("[32, ∞)", small.Message);

        var layers = Assert.Throws<ArgumentException>(() => new ResNetConfig { Layers = [3, 4, 6] }.Validate());
        Assert.Equal("Layers", layers.ParamName);
        Assert.Contains("[3, 4, 6]", layers.Message);
        Assert.Contains("4 integers, each in [1, ∞)", layers.Message);
        Assert.Equal("Layers", Assert.Throws<ArgumentException>(() => new ModifiedResNetConfig { Layers = [3, 0, 6, 3] }.Validate()).ParamName);

        var multiplier = Assert.Throws<ArgumentException>(() => new ResNetConfig { WidthMultiplier = 0 }.Validate());
        Assert.Equal("WidthMultiplier", multiplier.ParamName);
        Assert.Contains("valid range", multiplier.Message);

        var odd = Assert.Throws<ArgumentException>(() => new ModifiedResNetConfig { WidthMultiplier = 5.0 / 64 }.Validate());
        Assert.Equal("WidthMultiplier", odd.ParamName);
        Assert.Contains("Width = round(64 × 0.078125) = 5", odd.Message);
        Assert.Contains("must be even", odd.Message);

        var head = Assert.Throws<ArgumentException>(() => new ModifiedResNetConfig { HeadWidth = 48 }.Validate());
        Assert.Equal("HeadWidth", head.ParamName);
        Assert.Contains("divisors of 2048", head.Message);
    }

    [Theory]
    [InlineData("clip-resnet-nano-32", false)]
    [InlineData("clip-rn-nano-32", true)]
    public void ClipConfig_JsonRoundTrip_PreservesPolymorphicVision(string name, bool camelCase)
    {
        var original = ModelRegistry.GetClip(name);
        var (json, restored) = ClipConfigJson.RoundTrip(original, camelCase);
        Assert.Contains(original.Vision is ModifiedResNetConfig ? "\"type\":\"modified-resnet\"" : "\"type\":\"resnet\"", json);
        Assert.Contains(camelCase ? "\"layers\":[1,1,1,1]" : "\"Layers\":[1,1,1,1]", json);
        Assert.DoesNotContain("FeatureChannels", json, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(original, restored with { Vision = restored.Vision switch
        {
            ResNetConfig r => r with { Layers = [1, 1, 2, 1] },
            ModifiedResNetConfig m => m with { Layers = [1, 1, 2, 1] },
            _ => throw new InvalidOperationException(),
        } });
    }

    [Fact]
    public void Registry_HasFullSizeAndScaledDownTowersAndClipModels()
    {
        Assert.IsType<ResNetConfig>(ModelRegistry.GetVision("resnet50"));
        Assert.IsType<ModifiedResNetConfig>(ModelRegistry.GetVision("clip-rn50"));
        Assert.Equal(32, ModelRegistry.GetVision("resnet-nano-32").ImageSize);
        Assert.Equal(32, ModelRegistry.GetVision("clip-rn-nano-32").ImageSize);
        var clipResNet = ModelRegistry.GetClip("clip-resnet50");
        Assert.Equal((ModelRegistry.GetText("text-b"), 512), (clipResNet.Text, clipResNet.EmbedDim));
        Assert.IsType<ModifiedResNetConfig>(ModelRegistry.GetClip("clip-rn50").Vision);
        Assert.Equal(128, ModelRegistry.GetClip("clip-rn-nano-32").EmbedDim);
        Assert.Equal(128, ModelRegistry.GetClip("clip-resnet-nano-32").EmbedDim);
    }
}
