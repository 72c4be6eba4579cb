using System.Diagnostics;
using ClipLab.Configuration;
using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Text;
using ClipLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Benchmarks;

/// <summary>Result of <see cref="TrainStepBenchmark"/>: median step times of both loops and their ratio.</summary>
/// <param name="Model">Model measured.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="MinimalMedianSeconds">Median step time of the minimal loop.</param>
/// <param name="TrainerMedianSeconds">Median step time of <see cref="Trainer"/>.</param>
/// <param name="StepsPerLoop">Timed steps per loop and round.</param>
/// <param name="Rounds">Alternating rounds.</param>
public sealed record TrainStepBenchmarkResult(string Model, int BatchSize, double MinimalMedianSeconds, double TrainerMedianSeconds,
    int StepsPerLoop, int Rounds)
{
    /// <summary>Minimal-loop throughput.</summary>
    public double MinimalSamplesPerSecond => BatchSize / MinimalMedianSeconds;

    /// <summary>Trainer throughput.</summary>
    public double TrainerSamplesPerSecond => BatchSize / TrainerMedianSeconds;

    /// <summary>Trainer step time over minimal step time (1.05 = 5% slower).</summary>
    public double Ratio => TrainerMedianSeconds / MinimalMedianSeconds;
}

/// <summary>
/// Measures what the trainer costs on top of the work itself: a minimal hand-written TorchSharp CLIP step
/// (one fixed batch, forward, InfoNCE, backward, TorchSharp's AdamW) against <see cref="Trainer"/> steps
/// (data gathering, our AdamW with decay mask, clipping, schedule, logit clamp, progress) on the same model
/// and batch size. Rounds alternate so that machine noise hits both loops alike; medians are reported.
/// </summary>
public static class TrainStepBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static TrainStepBenchmarkResult Run(string model, int batchSize, int steps, int rounds, int warmupSteps = 3,
        Action<string>? log = null)
    {
        log ??= _ => { };
        torch.set_num_threads(Environment.ProcessorCount);
        var minimal = new List<double>();
        var trainer = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            log($"round {round + 1}/{rounds}: minimal loop ...");
            minimal.AddRange(MinimalLoop(model, batchSize, steps, warmupSteps));
            log($"round {round + 1}/{rounds}: trainer ...");
            trainer.AddRange(TrainerLoop(model, batchSize, steps, warmupSteps));
        }
        return new TrainStepBenchmarkResult(model, batchSize, Median(minimal), Median(trainer), steps, rounds);
    }

    private static List<double> MinimalLoop(string modelName, int batchSize, int steps, int warmupSteps)
    {
        var tokenizer = ClipTokenizer.LoadDefault();
        var config = new RunConfig { Model = modelName }.ResolveModel(tokenizer);
        torch.manual_seed(0);
        using var model = ModelRegistry.Create(config);
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.1);
        int size = config.Vision.ImageSize;
        using var images = torch.rand(batchSize, config.Vision.Channels, size, size) * 2 - 1;
        using var tokens = torch.randint(4, tokenizer.VocabSize, new long[] { batchSize, tokenizer.ContextLength });
        tokens[.., tokenizer.ContextLength - 1] = torch.tensor((long)tokenizer.EndOfTextId);
        model.train();
        var times = new List<double>();
        for (int step = 0; step < warmupSteps + steps; step++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            {
                var (imageEmb, textEmb) = model.call(images, tokens);
                var loss = ContrastiveLoss.Compute(imageEmb, textEmb, model.LogitScale);
                loss.backward();
                optimizer.step();
                optimizer.zero_grad();
                _ = loss.ToDouble(); // the trainer reads the loss every step too
            }
            if (step >= warmupSteps) times.Add(watch.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static List<double> TrainerLoop(string modelName, int batchSize, int steps, int warmupSteps)
    {
        string dir = Path.Combine(Path.GetTempPath(), "cliplab-bench", Guid.NewGuid().ToString("N"));
        var config = new RunConfig
        {
            Model = modelName,
            Data = new DataConfig { TrainSubset = 4096 },
            Training = new TrainingConfig
            {
                BatchSize = batchSize,
                SamplesSeen = (long)batchSize * (warmupSteps + steps),
                CheckpointEverySteps = int.MaxValue,
                LogEverySteps = 10,
            },
        };
        var times = new List<double>();
        try
        {
            using var trainer = new Trainer(config, dir);
            var watch = Stopwatch.StartNew();
            trainer.Run(p =>
            {
                if (p.Step > warmupSteps) times.Add(watch.Elapsed.TotalSeconds);
                watch.Restart();
            });
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
        return times;
    }

    private static double Median(List<double> values) => Statistics.Median(values);
}
