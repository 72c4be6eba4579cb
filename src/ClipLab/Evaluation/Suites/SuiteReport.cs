using System.Text.Json;
using System.Text.Json.Serialization;
using ClipLab.Evaluation.Probes;
using ClipLab.IO;

namespace ClipLab.Evaluation.Suites;

/// <summary>
/// The results of an evaluation suite, as written by <c>cliplab eval --json</c> (schema <see cref="SchemaName"/>,
/// documented in docs/evaluation.md): <c>benchmarks</c> maps benchmark → task → metric → number, so every figure
/// has a three-part name such as <c>fashion-mnist/zeroshot/top1</c>; the other fields describe the run.
/// </summary>
/// <param name="Schema">Always <see cref="SchemaName"/>.</param>
/// <param name="Suite">Suite name.</param>
/// <param name="Tasks">Tasks that were run.</param>
/// <param name="Model">Model name (or "custom").</param>
/// <param name="ModelFingerprint">SHA-256 of the weights (the feature cache's key).</param>
/// <param name="Benchmarks">benchmark → task → metric → value.</param>
/// <param name="Skipped">Benchmarks not run, with the reason.</param>
/// <param name="LinearProbeSweeps">Per benchmark, every L2 strength the probe tried and its validation top-1.</param>
/// <param name="Throughput">Evaluation throughput.</param>
/// <param name="Seconds">Total wall-clock seconds.</param>
public sealed record SuiteReport(
    [property: JsonPropertyName("schema")] string Schema,
    [property: JsonPropertyName("suite")] string Suite,
    [property: JsonPropertyName("tasks")] IReadOnlyList<string> Tasks,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("model_fingerprint")] string ModelFingerprint,
    [property: JsonPropertyName("benchmarks")] IReadOnlyDictionary<string, Dictionary<string, Dictionary<string, double>>> Benchmarks,
    [property: JsonPropertyName("skipped")] IReadOnlyDictionary<string, string> Skipped,
    [property: JsonPropertyName("linear_probe_sweeps")] IReadOnlyDictionary<string, IReadOnlyList<L2SweepPoint>> LinearProbeSweeps,
    [property: JsonPropertyName("throughput")] EvaluationThroughput Throughput,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>The schema identifier; bumped when a field changes meaning.</summary>
    public const string SchemaName = "cliplab-eval/1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The checkpoint folder evaluated, when there was one.</summary>
    [JsonPropertyName("checkpoint")]
    public string? Checkpoint { get; init; }

    /// <summary>The checkpoint's training step, when known.</summary>
    [JsonPropertyName("step")]
    public long? Step { get; init; }

    /// <summary>Every metric as (<c>benchmark/task/metric</c>, value), in report order — ready for a metrics log or TensorBoard.</summary>
    public IEnumerable<(string Name, double Value)> Metrics() =>
        from benchmark in Benchmarks
        from task in benchmark.Value
        from metric in task.Value
        select ($"{benchmark.Key}/{task.Key}/{metric.Key}", metric.Value);

    /// <summary>The value of <c>benchmark/task/metric</c>, or null when absent.</summary>
    public double? Get(string benchmark, string task, string metric) =>
        Benchmarks.TryGetValue(benchmark, out var tasks) && tasks.TryGetValue(task, out var metrics) && metrics.TryGetValue(metric, out double v) ? v : null;

    /// <summary>Writes the report as indented JSON, atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads a report written by <see cref="Save"/>.</summary>
    public static SuiteReport Load(string path) =>
        JsonSerializer.Deserialize<SuiteReport>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
}
