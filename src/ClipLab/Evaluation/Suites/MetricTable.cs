namespace ClipLab.Evaluation.Suites;

/// <summary>
/// Metrics by three-part name, benchmark → task → metric → value, in the order they were first written (the order of
/// <see cref="SuiteReport.Benchmarks"/>). Evaluators fill one each; the suite runner merges them.
/// </summary>
public sealed class MetricTable
{
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, double>>> _benchmarks = new(StringComparer.Ordinal);

    /// <summary>benchmark → task → metric → value.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, double>>> Benchmarks => _benchmarks;

    /// <summary>The metrics of <paramref name="task"/> on <paramref name="benchmark"/>, created empty when absent; write into it.</summary>
    public Dictionary<string, double> For(string benchmark, string task)
    {
        ArgumentException.ThrowIfNullOrEmpty(benchmark);
        ArgumentException.ThrowIfNullOrEmpty(task);
        if (!_benchmarks.TryGetValue(benchmark, out var tasks)) _benchmarks[benchmark] = tasks = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        if (!tasks.TryGetValue(task, out var metrics)) tasks[task] = metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        return metrics;
    }

    /// <summary>Copies every metric of <paramref name="other"/> into this table (a metric present in both takes <paramref name="other"/>'s value).</summary>
    public void Add(MetricTable other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (benchmark, tasks) in other._benchmarks)
        foreach (var (task, metrics) in tasks)
        {
            var into = For(benchmark, task);
            foreach (var (metric, value) in metrics) into[metric] = value;
        }
    }
}
