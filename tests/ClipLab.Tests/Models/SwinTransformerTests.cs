using Xunit;
using ClipLab.Configuration;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

public sealed class SwinTransformerTests
{
    /// <summary>16 px, patch 2: stage 0 is 8×8 with 4×4 windows (second block shifted by 2), stage 1 is 4×4 = one window.</summary>
    private static SwinTransformerConfig Tiny(double dropPathRate = 0) => new()
    {
        ImageSize = 16, PatchSize = 2, Channels = 3, EmbedDim = 8, Depths = [2, 2], Heads = [1, 2], WindowSize = 4, MlpRatio = 2.0,
        DropPathRate = dropPathRate,
    };

    [Fact]
    public void ForwardBackward_GradientsReachEveryParameter()
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(Tiny());

    [Fact]
    public void ForwardBackward_ScaledDownTower_GradientsReachEveryParameter()
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(ModelRegistry.GetVision("swin-nano-p2-32"), embedDim: 32, batch: 2);

    [Fact]
    public void Forward_WrongImageSize_Throws()
    {
        using var tower = Tiny().Build(12);
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => tower.call(torch.rand(1, 3, 32, 32)));
        Assert.Contains("[B, 3, 16, 16]", ex.Message);
    }

    [Fact]
    public void WindowRule_SmallStagesUseWholeGridWindowsWithoutShift()
    {
        var nano = (SwinTransformerConfig)ModelRegistry.GetVision("swin-nano-p2-32");
        Assert.Equal([16, 8, 4, 2], Enumerable.Range(0, 4).Select(nano.StageResolution));
        Assert.Equal([4, 4, 4, 2], Enumerable.Range(0, 4).Select(nano.StageWindow));
        Assert.Equal([2, 2, 0, 0], Enumerable.Range(0, 4).Select(nano.StageShift));

        torch.manual_seed(0);
        using var tower = (SwinTransformer)nano.Build(16);
        var blocks = tower.Stages.Select(s => s.Blocks).ToArray();
        Assert.Equal([0, 2], blocks[0].Select(b => b.Shift));
        Assert.Equal([0, 2], blocks[1].Select(b => b.Shift));
        Assert.Equal([0, 0], blocks[2].Select(b => b.Shift));
        Assert.All(blocks.SelectMany(b => b), b => Assert.Equal(b.Shift > 0, b.Attention.Shifted));
        // Table size follows the window actually used: (2·4−1)² for 4×4 windows, (2·2−1)² for the 2×2 last stage.
        Assert.Equal(new long[] { 49, 1 }, blocks[0][0].Attention.RelativePositionBiasTable.shape);
        Assert.Equal(new long[] { 9, 8 }, blocks[3][0].Attention.RelativePositionBiasTable.shape);
    }

    [Fact]
    public void RelativePositionIndex_CoversTableAndIsAntisymmetricAroundCentre()
    {
        const int w = 3;
        const int tableSize = (2 * w - 1) * (2 * w - 1);
        using var index = SwinWindows.RelativePositionIndex(w);
        Assert.Equal(new long[] { w * w, w * w }, index.shape);
        var values = index.data<long>().ToArray();
        // Every relative offset (Δrow, Δcol) ∈ [−(w−1), w−1]² occurs, i.e. all (2w−1)² table rows are used.
        Assert.Equal(Enumerable.Range(0, tableSize).Select(i => (long)i), values.Distinct().Order());
        const long centre = (tableSize - 1) / 2; // offset (0, 0)
        for (var q = 0; q < w * w; q++)
        {
            Assert.Equal(centre, values[q * w * w + q]);
            for (var k = 0; k < w * w; k++)
            {
                // Swapping query and key negates the offset, which mirrors the index around the centre entry.
                Assert.Equal(tableSize - 1, values[q * w * w + k] + values[k * w * w + q]);
                // Same offset ⇒ same index (translation invariance): index = (Δrow + w−1)·(2w−1) + (Δcol + w−1).
                var dRow = q / w - k / w;
                var dCol = q % w - k % w;
                Assert.Equal((dRow + w - 1) * (2 * w - 1) + dCol + w - 1, values[q * w * w + k]);
            }
        }
    }

    [Fact]
    public void ShiftMask_SeparatesRegionsThatTheRollBroughtTogether()
    {
        // 8×8 grid, 4×4 windows, shift 2: after rolling by −2 the grid has 2×2 windows; the bottom/right ones mix
        // tokens of the image interior with tokens wrapped around from the top/left edge.
        using var mask = SwinWindows.ShiftMask(8, 4, 2);
        Assert.Equal(new long[] { 4, 16, 16 }, mask.shape);
        var m = mask.data<float>().ToArray();
        int ZerosIn(int window) => Enumerable.Range(0, 256).Count(i => m[window * 256 + i] == 0f);
        Assert.Equal(256, ZerosIn(0)); // top-left: nothing wrapped, one region
        Assert.Equal(2 * 8 * 8, ZerosIn(1)); // top-right: 2 column bands of 8 tokens each
        Assert.Equal(2 * 8 * 8, ZerosIn(2)); // bottom-left: 2 row bands
        Assert.Equal(4 * 4 * 4, ZerosIn(3)); // bottom-right: 4 regions of 4 tokens
        Assert.All(m, v => Assert.True(v == 0f || float.IsNegativeInfinity(v)));

        // Bottom-right window, token (row 0, col 0) is rolled grid (4, 4) = image interior (6, 6); token (3, 3) is rolled
        // (7, 7) = image (1, 1), wrapped from the top-left corner: they must not attend to each other.
        Assert.True(float.IsNegativeInfinity(m[3 * 256 + 0 * 16 + 15]));
        Assert.True(float.IsNegativeInfinity(m[3 * 256 + 15 * 16 + 0]));
        // Tokens (2, 2) and (3, 3) of that window are both wrapped from the top-left corner: same region.
        Assert.Equal(0f, m[3 * 256 + 10 * 16 + 15]);
    }

    /// <summary>
    /// Shifted windows, seen in image coordinates, are the regular partition displaced by the shift with partial windows at
    /// the edges (no wrap-around): each output token may depend only on the inputs of its displaced window. Gradients are
    /// exactly zero outside it because masked logits are −∞.
    /// </summary>
    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void Block_OutputDependsOnlyOnItsWindowRegion(int shift)
    {
        const int resolution = 8;
        const int window = 4;
        torch.manual_seed(5);
        using var block = new SwinTransformerBlock(dim: 8, heads: 2, resolution, window, shift, mlpRatio: 2.0, dropPath: 0);
        block.InitializeParameters();
        using (no_grad())
        {
            // Non-zero bias so the relative position bias takes part too.
            block.Attention.RelativePositionBiasTable.normal_(0, 1);
        }

        int Group(int coordinate) => (coordinate + (shift > 0 ? window - shift : 0)) / window;

        using var scope = torch.NewDisposeScope();
        var x = torch.randn(1, resolution, resolution, 8).requires_grad_(true);
        var output = block.call(x);
        for (var row = 0; row < resolution; row++)
        {
            for (var col = 0; col < resolution; col++)
            {
                x.grad?.zero_();
                output[0, row, col].sum().backward(retain_graph: true);
                var reached = x.grad!.abs().sum(dim: -1)[0].data<float>().ToArray();
                for (var r = 0; r < resolution; r++)
                {
                    for (var c = 0; c < resolution; c++)
                    {
                        var expected = Group(r) == Group(row) && Group(c) == Group(col);
                        Assert.True(expected == reached[r * resolution + c] > 0,
                            $"shift {shift}: output ({row}, {col}) {(expected ? "does not depend" : "depends")} on input ({r}, {c})");
                    }
                }
            }
        }
    }

    [Fact]
    public void RelativePositionBias_IsAParameter_IndexAndMaskAreNotState()
    {
        torch.manual_seed(0);
        using var tower = Tiny().Build(12);
        var parameterNames = tower.named_parameters().Select(p => p.name).ToArray();
        Assert.Equal(4, parameterNames.Count(n => n.EndsWith(".attn.relative_position_bias_table", StringComparison.Ordinal)));
        var stateKeys = tower.state_dict().Keys;
        Assert.DoesNotContain(stateKeys, k => k.Contains("relative_position_index", StringComparison.Ordinal));
        Assert.DoesNotContain(stateKeys, k => k.Contains("attn_mask", StringComparison.Ordinal));
        Assert.Equal(parameterNames.Order(), stateKeys.Order());
    }

    [Fact]
    public void DropPath_ActsOnlyInTraining()
    {
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(4, 3, 16, 16) * 2 - 1;
        torch.manual_seed(11);
        using var plain = Tiny().Build(12);
        torch.manual_seed(11);
        using var dropping = Tiny(dropPathRate: 0.5).Build(12);
        plain.eval();
        dropping.eval();
        Assert.True(torch.allclose(plain.call(images), dropping.call(images), rtol: 1e-5, atol: 1e-6));
        dropping.train();
        torch.manual_seed(3);
        Assert.False(torch.allclose(plain.call(images), dropping.call(images), rtol: 1e-3, atol: 1e-4));
        Assert.Equal([0.0, 0.5 / 3, 1.0 / 3, 0.5], Tiny(0.5).BlockDropPathRates(), (a, b) => Math.Abs(a - b) < 1e-12);
    }

    /// <summary>timm swin_tiny_patch4_window7_224: 4.51 GMACs, 28.29M parameters of which the 1000-class head is 769,000.</summary>
    [Fact]
    public void SwinT_Cost_MatchesPublishedFigures()
    {
        var config = Assert.IsType<SwinTransformerConfig>(ModelRegistry.GetVision("swin-t"));
        Assert.Equal(224, config.ImageSize);
        var cost = config.Cost(embedDim: 512);
        Assert.InRange(cost.TrunkMacs / 1e9, 4.51 * 0.97, 4.51 * 1.03);
        Assert.InRange(cost.TrunkParameters, 27.52e6 * 0.99, 27.52e6 * 1.01);
        Assert.InRange(cost.TrunkParameters + 769_000, 28.29e6 * 0.99, 28.29e6 * 1.01);
        Assert.Equal(768L * 512, cost.HeadParameters);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ClipConfig_JsonRoundTrip_PreservesSwinVision(bool camelCase)
    {
        var original = ModelRegistry.GetClip("clip-swin-nano-p2-32") with
        {
            Vision = (SwinTransformerConfig)ModelRegistry.GetVision("swin-nano-p2-32") with { DropPathRate = 0.1 },
        };

        var (json, restored) = ClipConfigJson.RoundTrip(original, camelCase);
        Assert.Contains("\"type\":\"swin\"", json);
        Assert.Contains(camelCase ? "\"depths\":[2,2,2,1]" : "\"Depths\":[2,2,2,1]", json);
        Assert.Contains(camelCase ? "\"windowSize\":4" : "\"WindowSize\":4", json);
        Assert.DoesNotContain("umStages", json);
        Assert.DoesNotContain("umFeatures", json);
        Assert.IsType<SwinTransformerConfig>(restored.Vision);
        Assert.Equal(original.GetHashCode(), restored.GetHashCode());
        Assert.NotEqual(original.Vision, ((SwinTransformerConfig)original.Vision) with { Depths = [2, 2, 2, 2], Heads = [1, 2, 4, 8] });
    }

    [Fact]
    public void RunConfig_InlineSwinVision_ParsesStrictlyAndRoundTrips()
    {
        const string json = """
            { "modelConfig": {
                "vision": { "type": "swin", "imageSize": 32, "patchSize": 2, "embedDim": 16, "depths": [2, 1], "heads": [1, 2], "windowSize": 4 },
                "text": { "width": 32, "depth": 1, "heads": 2 },
                "embedDim": 32 } }
            """;
        var config = ConfigJson.Parse<RunConfig>(json);
        var vision = Assert.IsType<SwinTransformerConfig>(config.ModelConfig!.Vision);
        Assert.Equal([2, 1], vision.Depths);
        Assert.Equal(ConfigJson.Serialize(config), ConfigJson.Serialize(ConfigJson.Parse<RunConfig>(ConfigJson.Serialize(config))));

        var typo = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>(json.Replace("\"depths\"", "\"depth\"")));
        Assert.Contains("modelConfig.vision.depth", typo.Message);
        Assert.Contains("depths, dropPathRate, embedDim, heads", typo.Message);
    }

    [Fact]
    public void Validate_WindowNotTilingAStage_ListsValidWindows()
    {
        // Swin-T grids are 56, 28, 14, 7: a window of 8 tiles 56 but not 28.
        var ex = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { WindowSize = 8 }.Validate());
        Assert.Equal("WindowSize", ex.ParamName);
        Assert.Contains("= 8", ex.Message);
        Assert.Contains("28×28 token grid of stage 1", ex.Message);
        Assert.Contains("valid values are 1, 7, 14, 28, or any value ≥ 56", ex.Message);

        var nano = (SwinTransformerConfig)ModelRegistry.GetVision("swin-nano-p2-32");
        var small = Assert.Throws<ArgumentException>(() => (nano with { WindowSize = 3 }).Validate());
        Assert.Contains("valid values are 1, 2, 4, 8, or any value ≥ 16", small.Message);
        (nano with { WindowSize = 50 }).Validate(); // one window per stage is fine
    }

    [Fact]
    public void Validate_HeadsNotDividingStageWidth_ListsDivisors()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { Heads = [3, 6, 12, 25] }.Validate());
        Assert.Equal("Heads", ex.ParamName);
        Assert.Contains("Heads[3] = 25", ex.Message);
        Assert.Contains("stage-3 width 768", ex.Message);
        Assert.Contains("valid values are 1, 2, 3, 4, 6, 8, 12, 16, 24, 32,", ex.Message);

        var count = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { Heads = [3, 6, 12] }.Validate());
        Assert.Equal("Heads", count.ParamName);
        Assert.Contains("3 entries but Depths has 4", count.Message);
    }

    [Fact]
    public void Validate_OtherFields_NameFieldValueAndRange()
    {
        var image = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { ImageSize = 200 }.Validate());
        Assert.Equal("ImageSize", image.ParamName);
        Assert.Contains("200", image.Message);
        Assert.Contains("PatchSize × 2^3 (32)", image.Message);
        Assert.Contains("32, 64, 96", image.Message);

        var depth = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { Depths = [2, 0, 6, 2] }.Validate());
        Assert.Equal("Depths[1]", depth.ParamName);
        Assert.Contains("[1, ∞)", depth.Message);

        var empty = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { Depths = [], Heads = [] }.Validate());
        Assert.Equal("Depths", empty.ParamName);

        var drop = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { DropPathRate = 1 }.Validate());
        Assert.Equal("DropPathRate", drop.ParamName);
        Assert.Contains("[0, 1)", drop.Message);

        var patch = Assert.Throws<ArgumentException>(() => new SwinTransformerConfig { PatchSize = 0 }.Validate());
        Assert.Equal("PatchSize", patch.ParamName);

        var clip = Assert.Throws<ArgumentException>(() =>
            ModelRegistry.Create(ModelRegistry.GetClip("clip-swin-nano-p2-32") with { Vision = new SwinTransformerConfig { WindowSize = 0 } }));
        Assert.Equal("WindowSize", clip.ParamName);
    }
}
