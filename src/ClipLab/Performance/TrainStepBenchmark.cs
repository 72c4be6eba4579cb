using System.Diagnostics;
using ClipLab.Configuration;
using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Runtime;
using ClipLab.Text;
using ClipLab.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Performance;

/// <summary>Result of <see cref="TrainStepBenchmark"/>: median step times of both loops and their ratio.</summary>
/// <param name="Model">Model measured.</param>
/// <param name="BatchSize">Batch size.</param>
/// <param name="MinimalMedianSeconds">Median step time of the minimal loop.</param>
/// <param name="TrainerMedianSeconds">Median step time of <see cref="Trainer"/>.</param>
/// <param name="StepsPerLoop">Timed steps per loop and round.</param>
/// <param name="Rounds">Alternating rounds.</param>
/// <param name="Device">Device both loops ran on.</param>
/// <param name="Precision">Precision of both loops (the minimal loop in bf16 casts the whole model, the Trainer uses mixed precision).</param>
public sealed record TrainStepBenchmarkResult(string Model, int BatchSize, double MinimalMedianSeconds, double TrainerMedianSeconds,
    int StepsPerLoop, int Rounds, string Device = ComputeDevice.Cpu, string Precision = ClipLab.Runtime.Precision.Fp32)
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
/// and batch size, on the same device and in the same precision. Rounds alternate so that machine noise hits both loops
/// alike; medians are reported. In bf16 the minimal loop casts the whole model to bf16 (TorchSharp's AdamW then updates
/// bf16 weights): an upper bound on what a bf16 step can gain, against which the Trainer's mixed precision (fp32 master
/// weights, fp32 norms and loss) is measured.
/// </summary>
public static class TrainStepBenchmark
{
    /// <summary>Runs the benchmark.</summary>
    public static TrainStepBenchmarkResult Run(string model, int batchSize, int steps, int rounds, int warmupSteps = 3,
        Action<string>? log = null) => Run(new RunConfig { Model = model }, batchSize, steps, rounds, warmupSteps, log);

    /// <summary>
    /// Runs the benchmark on the model of <paramref name="baseConfig"/> (<c>model</c> or <c>modelConfig</c>), on its
    /// <c>runtime.device</c> and in its <c>training.precision</c>; the rest of the config is the benchmark's own.
    /// </summary>
    public static TrainStepBenchmarkResult Run(RunConfig baseConfig, int batchSize, int steps, int rounds, int warmupSteps = 3,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(baseConfig);
        baseConfig.Validate();
        log ??= _ => { };
        var device = ComputeDevice.Open(baseConfig.Runtime.Device);
        string model = baseConfig.ModelConfig is null ? baseConfig.Model : Trainer.CustomModelName;
        torch.set_num_threads(Environment.ProcessorCount);
        var minimal = new List<double>();
        var trainer = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            log($"round {round + 1}/{rounds}: minimal loop ...");
            minimal.AddRange(MinimalLoop(baseConfig, device, batchSize, steps, warmupSteps));
            log($"round {round + 1}/{rounds}: trainer ...");
            trainer.AddRange(TrainerLoop(baseConfig, batchSize, steps, warmupSteps));
        }
        return new TrainStepBenchmarkResult(model, batchSize, Median(minimal), Median(trainer), steps, rounds,
            baseConfig.Runtime.Device, baseConfig.Training.Precision);
    }

    private static List<double> MinimalLoop(RunConfig baseConfig, Device device, int batchSize, int steps, int warmupSteps)
    {
        var tokenizer = ClipTokenizer.LoadDefault();
        var config = baseConfig.ResolveModel(tokenizer);
        bool bf16 = baseConfig.Training.Precision == ClipLab.Runtime.Precision.Bf16;
        torch.manual_seed(0);
        using var model = ModelRegistry.Create(config);
        if (device.type != DeviceType.CPU) model.to(device);
        if (bf16) model.to(ScalarType.BFloat16);
        using var optimizer = torch.optim.AdamW(model.parameters(), lr: 1e-3, weight_decay: 0.1);
        int size = config.Vision.ImageSize;
        using var images = (torch.rand(batchSize, config.Vision.Channels, size, size, device: device) * 2 - 1)
            .to(bf16 ? ScalarType.BFloat16 : ScalarType.Float32);
        using var tokens = torch.randint(4, tokenizer.VocabSize, new long[] { batchSize, tokenizer.ContextLength }, device: device);
        tokens[.., tokenizer.ContextLength - 1] = torch.tensor((long)tokenizer.EndOfTextId, device: device);
        model.train();
        var times = new List<double>();
        for (int step = 0; step < warmupSteps + steps; step++)
        {
            var watch = Stopwatch.StartNew();
            using (var scope = torch.NewDisposeScope())
            {
                var (imageEmb, textEmb) = model.call(images, tokens);
                // The loss in fp32, as in every precision.
                var loss = ContrastiveLoss.Compute(imageEmb.to(ScalarType.Float32), textEmb.to(ScalarType.Float32), model.LogitScale.to(ScalarType.Float32));
                loss.backward();
                optimizer.step();
                optimizer.zero_grad();
                _ = loss.ToDouble(); // the trainer reads the loss every step too (and this waits for a GPU to finish)
            }
            if (step >= warmupSteps) times.Add(watch.Elapsed.TotalSeconds);
        }
        return times;
    }

    private static List<double> TrainerLoop(RunConfig baseConfig, int batchSize, int steps, int warmupSteps)
    {
        string dir = Path.Combine(Path.GetTempPath(), "cliplab-bench", Guid.NewGuid().ToString("N"));
        var config = new RunConfig
        {
            Model = baseConfig.Model,
            ModelConfig = baseConfig.ModelConfig,
            Data = new DataConfig { TrainSubset = 4096 },
            Training = new TrainingConfig
            {
                BatchSize = batchSize,
                SamplesSeen = (long)batchSize * (warmupSteps + steps),
                CheckpointEverySteps = int.MaxValue,
                LogEverySteps = 10,
                Precision = baseConfig.Training.Precision,
            },
            Runtime = baseConfig.Runtime,
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
