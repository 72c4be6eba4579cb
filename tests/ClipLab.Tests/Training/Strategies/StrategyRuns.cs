using ClipLab.Configuration;

namespace ClipLab.Tests.Training.Strategies;

/// <summary>Tiny run configs for each strategy (TinyRuns' model: 16 px, patch 8, so 4 patch tokens).</summary>
internal static class StrategyRuns
{
    public static readonly SlipStrategyConfig TinySlip = new() { MlpDim = 64, EmbedDim = 32 };

    public static RunConfig Config(string strategy, string loss = "clip", long samples = 64 * 40, int checkpointEvery = 100,
        int accumulationSteps = 1)
    {
        var baseline = TinyRuns.Config(samples, checkpointEvery);
        return baseline with
        {
            Training = baseline.Training with
            {
                Strategy = strategy == "slip" ? TinySlip : StrategyConfig.Named(strategy),
                Loss = LossConfig.Named(loss),
                AccumulationSteps = accumulationSteps,
            },
        };
    }
}
