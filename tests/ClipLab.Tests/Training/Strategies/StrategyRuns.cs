using ClipLab.Configuration;

namespace ClipLab.Tests.Training.Strategies;

/// <summary>Tiny run configs for each strategy (TinyRuns' model: 16 px, patch 8, so 4 patch tokens).</summary>
internal static class StrategyRuns
{
    public static readonly SlipConfig TinySlip = new() { MlpDim = 64, EmbedDim = 32 };

    public static RunConfig Config(string strategy, string loss = "clip", long samples = 64 * 40, int checkpointEvery = 100,
        int accumulationSteps = 1)
    {
        var baseline = TinyRuns.Config(samples, checkpointEvery);
        return baseline with
        {
            Data = baseline.Data with { Augmentation = strategy == "clip-aug" ? "crop-flip" : "none" },
            Training = baseline.Training with
            {
                Strategy = strategy,
                Loss = loss,
                Slip = strategy == "slip" ? TinySlip : null,
                AccumulationSteps = accumulationSteps,
            },
        };
    }
}
