using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Training;

namespace ClipLab.Performance;

/// <summary>One trained model of <see cref="ModelZooBenchmark"/>.</summary>
/// <param name="Family">Vision tower family (the config's JSON <c>type</c>: vit, resnet, convnext, ...).</param>
/// <param name="Model">Registered CLIP model name.</param>
/// <param name="ImageSize">Input side length in pixels.</param>
/// <param name="VisionParameters">Parameters of the whole image tower (trunk and head).</param>
/// <param name="VisionGMacs">Forward GMACs per image of the image tower.</param>
/// <param name="TrainGflopsPerSample">Training GFLOPs per image–text pair of the whole model.</param>
/// <param name="SamplesSeen">Training samples consumed.</param>
/// <param name="SamplesPerSecond">Training throughput (whole run, including data gathering).</param>
/// <param name="TrainSeconds">Training wall-clock seconds.</param>
/// <param name="ZeroShotTop1">Zero-shot top-1 on the 10,000 Fashion-MNIST test images.</param>
/// <param name="ZeroShotTop5">Zero-shot top-5 on the same images.</param>
public sealed record ModelZooResult(string Family, string Model, int ImageSize, long VisionParameters, double VisionGMacs,
    double TrainGflopsPerSample, long SamplesSeen, double SamplesPerSecond, double TrainSeconds, double ZeroShotTop1, double ZeroShotTop5);

/// <summary>
/// Trains CLIP models of several vision families under one recipe (the demo's optimiser settings, the same samples seen)
/// on Fashion-MNIST and reports zero-shot accuracy, throughput and cost side by side: the paper's architecture comparison,
/// scaled down to minutes per model.
/// </summary>
public static class ModelZooBenchmark
{
    /// <summary>
    /// The default models: for every built-in vision family, its cheapest CLIP model (in training GFLOPs per sample)
    /// at 64 px or less, i.e. the scaled-down CPU member of each family. Models a user registered are run only when named.
    /// </summary>
    public static IReadOnlyList<string> DefaultModels() =>
        ModelRegistry.Entries
            .Where(e => e.Kind == ModelKind.Clip && e.BuiltIn)
            .Select(e => (e.Name, Config: (ClipModelConfig)e.Config))
            .Where(e => e.Config.Vision.ImageSize <= 64)
            .GroupBy(e => e.Config.Vision.Family)
            .Select(g => g.MinBy(e => TrainingCompute.FlopsPerSample(e.Config))!.Name)
            .ToList();

    /// <summary>Trains and evaluates each model in its own run folder under <paramref name="workDirectory"/>.</summary>
    /// <param name="models">Registered CLIP model names.</param>
    /// <param name="samplesSeen">Training samples per model.</param>
    /// <param name="workDirectory">Parent of the run folders (a folder per model, replaced if present).</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellation">Stops between or inside runs (an interrupted run is not reported).</param>
    public static IReadOnlyList<ModelZooResult> Run(IReadOnlyList<string> models, long samplesSeen, string workDirectory,
        Action<string>? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        log ??= _ => { };
        var results = new List<ModelZooResult>();
        foreach (var name in models)
        {
            var config = Recipe(name, samplesSeen);
            var clip = ModelRegistry.GetClip(name);
            string runDirectory = Path.Combine(workDirectory, name);
            if (Directory.Exists(runDirectory)) Directory.Delete(runDirectory, recursive: true);
            log($"{name}: training on {samplesSeen:N0} samples ...");
            var run = TrainingRun.Execute(config, runDirectory, resume: false, cancellation: cancellation);
            if (run is null) break;
            var vision = clip.Vision.Cost(clip.EmbedDim);
            var zeroShot = run.ZeroShot ?? throw new InvalidOperationException("the recipe evaluates zero-shot, but the run reported none");
            results.Add(new ModelZooResult(clip.Vision.Family, name, clip.Vision.ImageSize, vision.Parameters, vision.GMacs,
                run.Train.GflopsPerSample, run.Train.SamplesSeen, run.Train.SamplesPerSecond, run.Train.WallSeconds,
                zeroShot.Top1, zeroShot.Top5));
            log($"{name}: zero-shot top-1 {zeroShot.Top1:F3} at {run.Train.SamplesPerSecond:F0} samples/s");
        }
        return results;
    }

    /// <summary>The shared recipe: the full demo's optimiser settings with the given budget, zero-shot evaluation only.</summary>
    public static RunConfig Recipe(string model, long samplesSeen) => DemoPresets.Full with
    {
        Model = model,
        Training = DemoPresets.Full.Training with { SamplesSeen = samplesSeen, CheckpointEverySteps = int.MaxValue },
        Evaluation = DemoPresets.Full.Evaluation with { Retrieval = false },
    };
}
