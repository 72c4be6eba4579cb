namespace ClipLab.Evaluation.Benchmarks;

/// <summary>An image–caption set for retrieval, read only when run (the task may not be asked for).</summary>
/// <param name="Name">Benchmark name in reports.</param>
/// <param name="Load">Reads the pairs.</param>
public sealed record RetrievalBenchmark(string Name, Func<RetrievalPairs> Load);
