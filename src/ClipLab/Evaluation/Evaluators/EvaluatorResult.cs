using ClipLab.Evaluation.Probes;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>What one <see cref="IEvaluator"/> measured.</summary>
/// <param name="Metrics">benchmark → task → metric → value.</param>
public sealed record EvaluatorResult(MetricTable Metrics)
{
    /// <summary>Per benchmark, the L2 strengths a linear probe tried (report field <c>linear_probe_sweeps</c>); empty for other evaluators.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<L2SweepPoint>> LinearProbeSweeps { get; init; } =
        new Dictionary<string, IReadOnlyList<L2SweepPoint>>(StringComparer.Ordinal);
}
