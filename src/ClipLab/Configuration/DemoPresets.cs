namespace ClipLab.Configuration;

/// <summary>
/// The built-in configs of <c>cliplab demo</c>, sized so that the full demo trains and evaluates in under
/// 10 minutes and the quick one in under 2 on a 2-core CPU (docs/benchmarks.md has the measurements).
/// </summary>
public static class DemoPresets
{
    /// <summary>The full demo.</summary>
    public static RunConfig Full { get; } = new()
    {
        Model = "clip-vit-nano-p8-32",
        Training = new TrainingConfig
        {
            BatchSize = 256,
            SamplesSeen = 204_800,
            LearningRate = 2e-3,
            WeightDecay = 0.1,
            WarmupSteps = 50,
            CheckpointEverySteps = 250,
        },
    };

    /// <summary>The quick demo (<c>--quick</c>).</summary>
    public static RunConfig Quick { get; } = Full with
    {
        Training = Full.Training with { SamplesSeen = 40_960, WarmupSteps = 20, CheckpointEverySteps = 80 },
        Evaluation = Full.Evaluation with { RetrievalImages = 500 },
    };
}
