namespace ClipLab.Evaluation.Evaluators;

/// <summary>The parts of the benchmarks an <see cref="IEvaluator"/> runs on.</summary>
[Flags]
public enum EvaluatorNeeds
{
    /// <summary>Nothing from the benchmarks (e.g. an evaluator that measures the weights alone).</summary>
    None = 0,

    /// <summary>Labeled test images of classification benchmarks (and their shifted variants).</summary>
    TestImages = 1,

    /// <summary>Labeled training images: only benchmarks with a training split are evaluated.</summary>
    TrainingImages = 2,

    /// <summary>Image–caption pairs of retrieval benchmarks.</summary>
    RetrievalPairs = 4,
}
