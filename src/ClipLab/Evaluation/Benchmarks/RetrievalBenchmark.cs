using ClipLab.Data;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>An image–caption set for retrieval, loaded when run; an image may have several captions.</summary>
/// <param name="Name">Benchmark name in reports.</param>
/// <param name="Load">Builds the pairs (images at the model's input size, tokenised captions); the caller disposes them.</param>
public sealed record RetrievalBenchmark(string Name, Func<ImageTextPairs> Load);
