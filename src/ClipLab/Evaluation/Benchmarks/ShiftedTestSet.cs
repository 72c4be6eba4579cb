using ClipLab.Evaluation.Features;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>A distribution-shifted copy of a benchmark's test split.</summary>
/// <param name="Shift">The shift's registered name (<c>sketch</c>, <c>noise</c> …).</param>
/// <param name="Images">The shifted images, same labels as the test split.</param>
public sealed record ShiftedTestSet(string Shift, LabeledImageSet Images)
{
    /// <summary>Suffix of the benchmark that holds the average over a benchmark's shifted variants (<c>fashion-mnist-shifted-average</c>).</summary>
    public const string AverageSuffix = "-shifted-average";
}
