using ClipLab.Configuration;
using ClipLab.Models;

namespace ClipLab.Tests;

/// <summary>Small run configs that train in seconds, shared by the training and CLI tests.</summary>
internal static class TinyRuns
{
    public static ClipModelConfig Model { get; } = new()
    {
        Vision = new VisionTransformerConfig { ImageSize = 16, PatchSize = 8, Width = 32, Depth = 1, Heads = 2 },
        Text = new TextTransformerConfig { Width = 32, Depth = 1, Heads = 2 },
        EmbedDim = 32,
    };

    public static RunConfig Config(long samples = 64 * 30, int checkpointEvery = 10) => new()
    {
        ModelConfig = Model,
        Data = new DataConfig { TrainSubset = 1024 },
        Training = new TrainingConfig
        {
            BatchSize = 64,
            SamplesSeen = samples,
            LearningRate = 3e-3,
            WeightDecay = 0.1,
            WarmupSteps = 5,
            CheckpointEverySteps = checkpointEvery,
            LogEverySteps = 1,
            Threads = 1,
            Seed = 7,
        },
        Evaluation = new EvaluationConfig { RetrievalImages = 100, RetrievalCaptionsPerImage = 2 },
    };

    /// <summary>All of a trainer's model weights, flattened (for bit-for-bit comparisons of runs).</summary>
    public static float[] Weights(ClipLab.Training.Trainer trainer)
    {
        using var scope = TorchSharp.torch.NewDisposeScope();
        return trainer.Model.parameters().SelectMany(p => p.detach().flatten().data<float>().ToArray()).ToArray();
    }

    public static string TempDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cliplab-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
