using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Tests.Models;
using ClipLab.Training;
using ClipLab.Training.Strategies;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Training.Strategies;

public class FlipStrategyTests
{
    /// <summary>TinyModels' ViT: 16 px, patch 4 → 16 patch tokens.</summary>
    private static readonly ClipModelConfig Model = TinyModels.Clip();

    private static FlipStrategy Flip(double ratio = 0.5, long unmasked = 0) =>
        new(new ImageTextObjective(new ClipLossConfig()), Model, new FlipStrategyConfig { MaskRatio = ratio, UnmaskedTuningSamples = unmasked });

    private static TrainingBatch Batch(int b)
    {
        var images = torch.rand(b, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [b, 8], dtype: ScalarType.Int64);
        return new TrainingBatch(images, tokens);
    }

    [Theory]
    [InlineData(0.5, 8)]
    [InlineData(0.75, 4)]
    [InlineData(0.3, 11)] // ⌊0.7 × 16⌋
    public void EachImageKeepsExactlyTheExpectedDistinctPatches(double ratio, int expected)
    {
        torch.manual_seed(71);
        using var scope = torch.NewDisposeScope();
        var strategy = Flip(ratio);
        Assert.Equal(expected, strategy.KeptPatches);
        var keep = strategy.Prepare(Batch(5), finalPhase: false).KeepPatches!;
        Assert.Equal(new long[] { 5, expected }, keep.shape);
        var rows = keep.data<long>().ToArray().Chunk(expected).ToList();
        Assert.All(rows, row =>
        {
            Assert.Equal(expected, row.Distinct().Count());
            Assert.All(row, i => Assert.InRange(i, 0, 15));
        });
        // Images draw their own subsets.
        Assert.True(rows.Select(r => string.Join(",", r.Order())).Distinct().Count() > 1);
    }

    [Fact]
    public void TheTowerRunsOnTheKeptTokensAndItsMeasuredMacsMatchTheMaskedCost()
    {
        torch.manual_seed(72);
        using var model = ModelRegistry.Create(Model);
        using var scope = torch.NewDisposeScope();
        var strategy = Flip();
        var inputs = strategy.Prepare(Batch(3), finalPhase: false);
        var vit = (VisionTransformer)model.Visual;
        var vitConfig = (VisionTransformerConfig)Model.Vision;
        double measured;
        using (var counter = MacCounter.Attach(vit))
        {
            using var features = vit.Forward(inputs.Images, inputs.KeepPatches);
            measured = counter.Total;
        }
        // Attention MACs grow with tokens², so agreement pins the token count: 8 kept patches + the class token.
        Assert.Equal(3 * vitConfig.Cost(Model.EmbedDim, 8).Macs, measured, 3);
        Assert.NotEqual(3 * vitConfig.Cost(Model.EmbedDim, 9).Macs, measured, 3);
        var embedded = strategy.Encode(model, inputs).Image;
        Assert.Equal(new long[] { 3, Model.EmbedDim }, embedded.shape);
    }

    [Fact]
    public void GflopsPerSampleDropsToTheMaskedTowerCost()
    {
        var vit = (VisionTransformerConfig)Model.Vision;
        var text = Model.Text.Cost(Model.EmbedDim);
        double clip = TrainingCompute.FlopsPerSample(Model);
        var cost = Flip().Cost;
        Assert.Equal(TrainingCompute.FlopsPerSample(vit.Cost(Model.EmbedDim, 8), text), cost.FlopsPerSample, 6);
        Assert.Equal(clip, cost.FinalPhaseFlopsPerSample, 6);
        Assert.True(cost.FlopsPerSample < clip);
        // The image tower's trunk (beyond the patch embedding) shrinks with the tokens: at least the linear part halves.
        double imageSaving = vit.Cost(Model.EmbedDim).Macs - vit.Cost(Model.EmbedDim, 8).Macs;
        Assert.True(imageSaving > 0.45 * (vit.Cost(Model.EmbedDim).Macs - (double)vit.NumPatches * 3 * 16 * vit.Width));
        Assert.True(Flip(0.75).Cost.FlopsPerSample < cost.FlopsPerSample);
    }

    [Fact]
    public void UnmaskedTuningTrainsTheFinalSamplesOnAllTokensAndIsCountedAtFullCost()
    {
        var strategy = Flip(unmasked: 100);
        var cost = strategy.Cost;
        // 100 samples at batch 64 → the final 2 steps of 10.
        Assert.Equal(2, cost.FinalPhaseSteps(64));
        Assert.False(cost.IsFinalPhase(7, 10, 64));
        Assert.True(cost.IsFinalPhase(8, 10, 64));
        Assert.Equal(64 * (8 * cost.FlopsPerSample + 2 * cost.FinalPhaseFlopsPerSample), cost.FlopsSpent(10, 10, 64), 3);
        Assert.Equal(64 * 5 * cost.FlopsPerSample, cost.FlopsSpent(5, 10, 64), 3);
        using var scope = torch.NewDisposeScope();
        Assert.Null(strategy.Prepare(Batch(4), finalPhase: true).KeepPatches);
        Assert.NotNull(strategy.Prepare(Batch(4), finalPhase: false).KeepPatches);
        // A budget pays for the unmasked phase first, the rest buys masked steps.
        double budget = 64 * (2 * cost.FinalPhaseFlopsPerSample + 5.5 * cost.FlopsPerSample);
        Assert.Equal(7, cost.StepsWithinBudget(budget, 64));
    }

    [Fact]
    public void AFlipRunReportsTheMaskedComputeAndABudgetBuysMoreSamplesThanClip()
    {
        var clipPerSample = TrainingCompute.FlopsPerSample(TinyRuns.Model) / 1e9;
        double budget = 6.5 * 64 * clipPerSample;
        var clipConfig = TinyRuns.Config() with { Training = TinyRuns.Config().Training with { BudgetGflops = budget } };
        var flipConfig = clipConfig with { Training = clipConfig.Training with { Strategy = new FlipStrategyConfig() } };
        RunResults clip, flip;
        using (var log = new StringWriter())
        {
            clip = TrainingRun.Execute(clipConfig with { Evaluation = NoEvaluation }, TinyRuns.TempDirectory(), false, log: log)!;
            flip = TrainingRun.Execute(flipConfig with { Evaluation = NoEvaluation }, TinyRuns.TempDirectory(), false, log: log)!;
        }
        Assert.Equal(6, clip.Train.Steps);
        Assert.True(flip.Train.Steps > clip.Train.Steps, $"FLIP took {flip.Train.Steps} steps, CLIP {clip.Train.Steps}");
        Assert.True(flip.Train.GflopsPerSample < clip.Train.GflopsPerSample);
        Assert.True(flip.Train.Gflops <= budget);
        var vit = (VisionTransformerConfig)TinyRuns.Model.Vision;
        double masked = TrainingCompute.FlopsPerSample(vit.Cost(TinyRuns.Model.EmbedDim, 2), TinyRuns.Model.Text.Cost(TinyRuns.Model.EmbedDim)) / 1e9;
        Assert.Equal(masked, flip.Train.GflopsPerSample, 9);
    }

    private static readonly EvaluationConfig NoEvaluation = new() { ZeroShot = false, Retrieval = false };

    [Fact]
    public void FlipOnATowerWithoutTokensIsAConfigErrorNamingTheTower()
    {
        var config = new RunConfig
        {
            ModelConfig = TinyRuns.Model with { Vision = new TokenlessTowerConfig() },
            Training = new TrainingConfig { Strategy = new FlipStrategyConfig() },
        };
        var ex = Assert.Throws<ConfigException>(config.Validate);
        Assert.Contains("training.strategy \"flip\"", ex.Message);
        Assert.Contains("TokenlessTower", ex.Message);
        Assert.Contains("vit", ex.Message);
        // The same model is fine with the other strategies.
        (config with { Training = new TrainingConfig { Strategy = new SlipStrategyConfig() } }).Validate();
    }

    [Fact]
    public void MaskRatioThatKeepsNoTokenIsRefused()
    {
        var config = TinyRuns.Config() with { Training = TinyRuns.Config().Training with { Strategy = new FlipStrategyConfig { MaskRatio = 0.9 } } };
        var ex = Assert.Throws<ConfigException>(config.Validate);
        Assert.Contains("training.strategy.maskRatio", ex.Message);
    }

    /// <summary>A stand-in for a convolutional tower (no token sequence), as the other tower families will be.</summary>
    private sealed record TokenlessTowerConfig : VisionTowerConfig
    {
        public override int ImageSize { get; init; } = 16;
        public override int Channels { get; init; } = 3;
        public override int TrunkWidth => 1;
        public override VisionTower Build(int embedDim) => throw new NotSupportedException();
        public override TowerCost Cost(int embedDim) => new(1, 1, 1, 1);
        public override void Validate() { }
    }
}
