using ClipLab.Evaluation.Features;
using ClipLab.Text;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// A labeled image benchmark: class names with prompt templates (for zero-shot), a test split, optionally a
/// training split (for the linear probe and few-shot) and distribution-shifted copies of the test split.
/// </summary>
/// <param name="Name">Benchmark name in reports, e.g. <c>fashion-mnist</c>.</param>
/// <param name="Prompts">Class names, in label order, and the prompt templates.</param>
/// <param name="Test">The test images.</param>
public sealed record ClassificationBenchmark(string Name, PromptTemplateSet Prompts, LabeledImageSet Test)
{
    /// <summary>Training images for the linear probe and few-shot, or null (zero-shot only).</summary>
    public LabeledImageSet? Train { get; init; }

    /// <summary>Shifted test sets, reported as benchmarks <c>{Name}-{shift}</c> and averaged.</summary>
    public IReadOnlyList<ShiftedTestSet> Shifts { get; init; } = [];

    /// <summary>Number of classes.</summary>
    public int Classes => Prompts.ClassNames.Count;
}
