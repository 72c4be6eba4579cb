using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>Everything an <see cref="IEvaluator"/> runs over: the model, the shared feature cache, the suite's settings and the benchmarks.</summary>
/// <param name="Model">The model with its tokenizer (left in eval mode by the evaluators).</param>
/// <param name="Cache">Image features, computed once per image set and shared by every evaluator of the run.</param>
/// <param name="Suite">The suite's settings (probe options, shots, seeds).</param>
/// <param name="Benchmarks">The benchmarks of this run.</param>
/// <param name="TextBatchSize">Texts per forward pass of the text tower.</param>
/// <param name="Log">Progress lines.</param>
/// <param name="Cancellation">Checked before each image set and each costly step.</param>
public sealed record EvaluationContext(
    EvaluatedModel Model,
    FeatureCache Cache,
    EvaluationSuite Suite,
    BenchmarkSet Benchmarks,
    int TextBatchSize,
    TextWriter Log,
    CancellationToken Cancellation)
{
    /// <summary>The features of <paramref name="images"/> from the cache, after a progress line and a cancellation check.</summary>
    /// <param name="images">The image set.</param>
    /// <param name="what">What the images are, for the progress line (e.g. "fashion-mnist: test images").</param>
    public FeatureSet Features(LabeledImageSet images, string what)
    {
        ArgumentNullException.ThrowIfNull(images);
        Log.WriteLine($"{what}: features of {images.Count:N0} images ...");
        Cancellation.ThrowIfCancellationRequested();
        return Cache.Get(images);
    }
}
