namespace ClipLab.Evaluation.Benchmarks;

/// <summary>Benchmarks of one evaluation run, as the <see cref="IBenchmarkProvider"/>s made them.</summary>
/// <param name="Classification">Labeled image benchmarks (zero-shot, probes), in run order.</param>
/// <param name="Retrieval">Image–caption benchmarks, in run order.</param>
/// <param name="Skipped">Benchmarks that could not be made, with the reason (report field <c>skipped</c>).</param>
public sealed record BenchmarkSet(
    IReadOnlyList<ClassificationBenchmark> Classification,
    IReadOnlyList<RetrievalBenchmark> Retrieval,
    IReadOnlyDictionary<string, string> Skipped)
{
    /// <summary>No benchmark.</summary>
    public static BenchmarkSet Empty { get; } = new([], [], new Dictionary<string, string>());

    /// <summary>One classification benchmark.</summary>
    public static BenchmarkSet Of(ClassificationBenchmark benchmark) => new([benchmark], [], new Dictionary<string, string>());

    /// <summary>One retrieval benchmark.</summary>
    public static BenchmarkSet Of(RetrievalBenchmark benchmark) => new([], [benchmark], new Dictionary<string, string>());

    /// <summary>These benchmarks, then <paramref name="other"/>'s.</summary>
    /// <exception cref="ArgumentException">Two classification or two retrieval benchmarks share a name (one would overwrite the other's results).</exception>
    public BenchmarkSet Then(BenchmarkSet other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var classification = Classification.Concat(other.Classification).ToArray();
        var retrieval = Retrieval.Concat(other.Retrieval).ToArray();
        foreach (var names in new[] { classification.Select(b => b.Name).ToList(), retrieval.Select(r => r.Name).ToList() })
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
                throw new ArgumentException($"two benchmarks share a name among {string.Join(", ", names)}; give each --benchmark file its own \"name\"");
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, reason) in Skipped.Concat(other.Skipped)) skipped[name] = reason;
        return new BenchmarkSet(classification, retrieval, skipped);
    }
}
