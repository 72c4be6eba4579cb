using ClipLab.Evaluation.Evaluators;

namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// Provider <c>standard</c>: one benchmark per <see cref="Suites.SuiteOptions.StandardBenchmarks"/> source
/// (<c>--imagenet DIR</c>, <c>--coco FILE</c> …), built by <see cref="StandardBenchmarks"/>.
/// </summary>
public sealed class StandardBenchmarkProvider : IBenchmarkProvider
{
    /// <inheritdoc />
    public string Name => "standard";

    /// <inheritdoc />
    public bool DrivenByOptions => true;

    /// <inheritdoc />
    public BenchmarkSet Provide(BenchmarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        return options.StandardBenchmarks
            .Select(source => StandardBenchmarks.Load(source, request.ImageSize, request.Channels, options.TemplateSet))
            .Aggregate(BenchmarkSet.Empty, (set, loaded) => set.Then(Keep(loaded, request)));
    }

    /// <summary>A loaded benchmark's parts that the run uses: classification always (it is checked even when unused), retrieval when an evaluator needs pairs.</summary>
    internal static BenchmarkSet Keep((ClassificationBenchmark? Classification, RetrievalBenchmark? Retrieval) loaded, BenchmarkRequest request) =>
        new(loaded.Classification is { } c ? [c] : [],
            loaded.Retrieval is { } r && request.Uses(EvaluatorNeeds.RetrievalPairs) ? [r] : [],
            new Dictionary<string, string>());
}
