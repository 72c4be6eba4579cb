using ClipLab.Evaluation.Benchmarks.Standard;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Provider <c>files</c>: the benchmarks described by <see cref="Suites.SuiteOptions.BenchmarkFiles"/>
/// (<c>--benchmark FILE</c>; <see cref="BenchmarkFile"/>), built by <see cref="UserBenchmark"/>.
/// </summary>
public sealed class BenchmarkFileProvider : IBenchmarkProvider
{
    /// <inheritdoc />
    public string Name => "files";

    /// <inheritdoc />
    public bool DrivenByOptions => true;

    /// <inheritdoc />
    public BenchmarkSet Provide(BenchmarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        return options.BenchmarkFiles
            .Select(file => UserBenchmark.Load(file, request.ImageSize, request.Channels, request.Tokenizer, options.TemplateSet))
            .Aggregate(BenchmarkSet.Empty, (set, loaded) => set.Then(StandardBenchmarkProvider.Keep(loaded, request)));
    }
}
