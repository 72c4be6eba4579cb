using Xunit;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

public sealed class ConvNextTests
{
    /// <summary>Two stages on 16 px: stem 2 → 8×8, downsampling → 4×4.</summary>
    private static ConvNextConfig Tiny(double layerScaleInit = 1e-6, double dropPathRate = 0) => new()
    {
        ImageSize = 16, PatchSize = 2, Depths = [1, 2], Dims = [8, 16], KernelSize = 3,
        LayerScaleInit = layerScaleInit, DropPathRate = dropPathRate,
    };

    [Theory]
    [InlineData(1e-6)]
    [InlineData(0.0)] // without layer scale
    public void ForwardBackward_GradientsReachEveryParameter(double layerScaleInit)
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(Tiny(layerScaleInit));

    [Fact]
    public void LayerScale_IsAParameterOnlyWhenEnabled()
    {
        using var with = Tiny(1e-6).Build(8);
        using var without = Tiny(0).Build(8);
        var gammas = with.named_parameters().Where(p => p.name.EndsWith(".gamma", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, gammas.Count);
        Assert.All(gammas, g => Assert.True(torch.allclose(g.parameter, torch.full_like(g.parameter, 1e-6))));
        Assert.DoesNotContain(without.named_parameters(), p => p.name.EndsWith(".gamma", StringComparison.Ordinal));
        Assert.Equal(Tiny(0).Cost(8).Parameters, without.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void StateDict_UsesOfficialConvNextNames()
    {
        using var tower = Tiny().Build(8);
        var keys = tower.state_dict().Keys.ToHashSet();
        foreach (var key in new[]
        {
            "downsample_layers.0.0.weight", "downsample_layers.0.1.weight", "downsample_layers.1.0.bias", "downsample_layers.1.1.weight",
            "stages.1.1.dwconv.weight", "stages.1.1.norm.weight", "stages.1.1.pwconv1.weight", "stages.1.1.pwconv2.bias",
            "stages.1.1.gamma", "norm.weight", "proj.weight",
        })
        {
            Assert.Contains(key, keys);
        }
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
    public void ChannelsFirstLayerNorm_NormalisesEachPixelOverChannels()
    {
        torch.manual_seed(5);
        using var norm = new ChannelsFirstLayerNorm(6);
        using var scope = torch.NewDisposeScope();
        using (torch.no_grad())
        {
            foreach (var (_, p) in norm.named_parameters())
            {
                p.copy_(torch.randn(6));
            }
        }

        var x = torch.randn(2, 6, 3, 5) * 3 + 1;
        var weights = norm.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var expected = nn.functional.layer_norm(x.permute(0, 2, 3, 1), [6], weights["weight"], weights["bias"], 1e-6).permute(0, 3, 1, 2);
        Assert.True(torch.allclose(norm.call(x), expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void DropPath_IsIdentityInEvalAndAtRateZero()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(16, 4, 3, 3);
        using var drop = new DropPath(0.5);
        drop.eval();
        Assert.True(drop.call(x).eq(x).all().ToBoolean());
        using var none = new DropPath(0.0);
        none.train();
        Assert.True(none.call(x).eq(x).all().ToBoolean());
    }

    [Fact]
    public void DropPath_InTraining_DropsWholeSamplesAndScalesSurvivorsByInverseKeepRate()
    {
        const double rate = 0.25;
        const int samples = 4000;
        torch.manual_seed(11);
        using var drop = new DropPath(rate);
        drop.train();
        using var scope = torch.NewDisposeScope();
        var output = drop.call(torch.ones(samples, 3, 2, 2));
        var perSample = output.reshape(samples, -1);
        var min = perSample.amin([1]);
        var max = perSample.amax([1]);
        // Every sample is constant (dropped as a whole) and either 0 or 1/(1 − rate).
        Assert.True(min.eq(max).all().ToBoolean());
        var dropped = min.eq(0);
        var kept = min.sub(1 / (1 - rate)).abs().lt(1e-6);
        Assert.True(dropped.logical_or(kept).all().ToBoolean());
        var droppedFraction = dropped.to_type(ScalarType.Float32).mean().ToSingle();
        Assert.InRange(droppedFraction, rate - 0.03, rate + 0.03);
    }

    [Fact]
    public void Block_InTraining_EitherSkipsOrRescalesEachSamplesResidualBranch()
    {
        // With layer scale 1 the branch is large; eval gives x + branch, so in training each sample must equal either x
        // (branch dropped) or x + branch / (1 − rate) (kept and rescaled).
        const double rate = 0.5;
        torch.manual_seed(12);
        using var block = new ConvNextBlock(8, 3, layerScaleInit: 1.0, dropPathRate: rate);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(64, 8, 5, 5);
        block.eval();
        var branch = block.call(x) - x;
        Assert.True(branch.abs().mean().ToSingle() > 0.1);
        block.train();
        var y = block.call(x);
        var skipped = (y - x).abs().reshape(64, -1).amax([1]).lt(1e-5);
        var rescaled = (y - x - branch / (1 - rate)).abs().reshape(64, -1).amax([1]).lt(1e-4);
        Assert.True(skipped.logical_or(rescaled).all().ToBoolean());
        Assert.True(skipped.any().ToBoolean());
        Assert.True(rescaled.any().ToBoolean());
    }

    [Fact]
    public void DropPathRates_IncreaseLinearlyOverAllBlocks()
    {
        var config = ModelRegistry.GetVision("convnext-t") as ConvNextConfig;
        Assert.NotNull(config);
        var rates = config!.BlockDropPathRates;
        Assert.Equal(18, rates.Count);
        Assert.Equal(0.0, rates[0]);
        Assert.Equal(0.1, rates[^1], 12);
        Assert.Equal(0.1 * 5 / 17, rates[5], 12);
        using var tower = Tiny(dropPathRate: 0.2).Build(8);
        var built = tower.modules().OfType<ConvNextBlock>().Select(b => b.DropPathRate).ToArray();
        Assert.Equal([0.0, 0.1, 0.2], built, (a, b) => Math.Abs(a - b) < 1e-12);
    }

    [Fact]
    public void ImageSize_NotDivisibleByTotalStride_NamesRule()
    {
        // 32 px with stem 4 is fine (1×1 last stage); 36 px is not a multiple of 4·8.
        new ConvNextConfig { ImageSize = 32 }.Validate();
        var ex = Assert.Throws<ArgumentException>(() => new ConvNextConfig { ImageSize = 36 }.Validate());
        Assert.Equal("ImageSize", ex.ParamName);
        Assert.Contains("= 36", ex.Message);
        Assert.Contains("PatchSize", ex.Message);
        Assert.Contains("32, 64, 96", ex.Message);
    }

    [Fact]
    public void InvalidShapes_ReportFieldAndValidValues()
    {
        var dims = Assert.Throws<ArgumentException>(() => new ConvNextConfig { Dims = [96, 192, 384] }.Validate());
        Assert.Equal("Dims", dims.ParamName);
        Assert.Contains("3 entries", dims.Message);
        Assert.Contains("(4)", dims.Message);

        var depth = Assert.Throws<ArgumentException>(() => new ConvNextConfig { Depths = [3, 3, 0, 3] }.Validate());
        Assert.Equal("Depths[2]", depth.ParamName);
        Assert.Contains("[1, ∞)", depth.Message);

        var kernel = Assert.Throws<ArgumentException>(() => new ConvNextConfig { KernelSize = 6 }.Validate());
        Assert.Equal("KernelSize", kernel.ParamName);
        Assert.Contains("1, 3, 5, 7", kernel.Message);

        var drop = Assert.Throws<ArgumentException>(() => new ConvNextConfig { DropPathRate = 1.0 }.Validate());
        Assert.Equal("DropPathRate", drop.ParamName);
        Assert.Contains("[0, 0.99]", drop.Message);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClipConfig_JsonRoundTrip_PreservesConvNextVision(bool camelCase)
    {
        var original = ModelRegistry.GetClip("clip-convnext-nano-32") with
        {
            Vision = (ConvNextConfig)ModelRegistry.GetVision("convnext-nano-32") with { DropPathRate = 0.05 },
        };

        var (json, restored) = ClipConfigJson.RoundTrip(original, camelCase);
        Assert.Contains("\"type\":\"convnext\"", json);
        Assert.Contains(camelCase ? "\"depths\":[1,1,2,1]" : "\"Depths\":[1,1,2,1]", json);
        Assert.DoesNotContain("Stages", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("BlockDropPathRates", json, StringComparison.OrdinalIgnoreCase);
        var vision = Assert.IsType<ConvNextConfig>(restored.Vision);
        Assert.Equal(original.Vision.GetHashCode(), vision.GetHashCode());
        // Element-wise equality must still tell different stage shapes apart.
        Assert.NotEqual(vision, vision with { Dims = [32, 64, 128, 512] });
        Assert.Contains("Depths = [1, 1, 2, 1], Dims = [32, 64, 128, 256]", vision.ToString());
    }

    /// <summary>timm's convnext_tiny at 224 px: 4.47 GMACs, 28.59M parameters minus the 769,000-parameter classifier head.</summary>
    [Fact]
    public void Cost_MatchesPublishedFigures()
    {
        var config = ModelRegistry.GetVision("convnext-t");
        Assert.Equal(224, config.ImageSize);
        var cost = config.Cost(embedDim: 512);
        Assert.InRange(cost.TrunkMacs / 1e9, 4.47 * 0.97, 4.47 * 1.03);
        Assert.InRange(cost.TrunkParameters, 27.82e6 * 0.99, 27.82e6 * 1.01);
        Assert.Equal(768L * 512, cost.HeadParameters);
    }
}
