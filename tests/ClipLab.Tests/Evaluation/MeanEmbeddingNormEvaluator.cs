using ClipLab.Evaluation.Evaluators;
using ClipLab.Evaluation.Suites;
using TorchSharp;

namespace ClipLab.Tests.Evaluation;

/// <summary>
/// A plugin evaluator, the example of docs/architecture.md: the norm of the mean image embedding of each classification
/// benchmark's test split. Embeddings are unit-norm, so it is 1 for a collapsed model (every image embedded alike) and
/// near 0 for embeddings spread evenly over the sphere.
/// </summary>
public sealed class MeanEmbeddingNormEvaluator : IEvaluator
{
    public string Name => "mean_embedding_norm";

    public IReadOnlyList<string> Aliases { get; } = [];

    public EvaluatorNeeds Needs => EvaluatorNeeds.TestImages;

    public EvaluatorResult Run(EvaluationContext context)
    {
        var table = new MetricTable();
        foreach (var benchmark in context.Benchmarks.Classification)
        {
            var test = context.Features(benchmark.Test, $"{benchmark.Name}: test");
            using var scope = torch.NewDisposeScope();
            table.For(benchmark.Name, Name)["norm"] = test.Features.mean([0]).norm().item<float>();
        }
        return new EvaluatorResult(table);
    }
}
