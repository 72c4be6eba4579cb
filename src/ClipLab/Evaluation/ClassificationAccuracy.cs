using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation;

/// <summary>
/// Accuracy of a classifier's scores against true labels, the three figures the paper and CLIP_benchmark
/// report: top-1, top-5, and mean per-class accuracy (the average over classes of each class's recall, which
/// does not let large classes dominate on unbalanced benchmarks).
/// </summary>
/// <param name="Top1">Fraction of images whose highest-scoring class is the true one.</param>
/// <param name="Top5">Fraction whose true class is among the five highest (all classes when there are fewer than five).</param>
/// <param name="MeanPerClass">Mean over the classes present in the labels of the fraction of that class's images ranked top-1.</param>
/// <param name="Images">Images scored.</param>
public sealed record ClassificationAccuracy(double Top1, double Top5, double MeanPerClass, int Images)
{
    /// <summary>
    /// Measures scores <paramref name="logits"/> [N, classes] against <paramref name="labels"/>. Ties in the
    /// scores count against the true class (it ranks below every class scoring the same), so degenerate
    /// classifiers — constant scores — score 0 rather than a lucky 1.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes disagree or a label is outside [0, classes).</exception>
    public static ClassificationAccuracy Measure(Tensor logits, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(labels);
        if (logits.dim() != 2 || logits.shape[0] != labels.Count)
            throw new ArgumentException($"scores [{string.Join(", ", logits.shape)}] do not match {labels.Count} labels");
        long classes = logits.shape[1];
        foreach (int label in labels)
            if (label < 0 || label >= classes) throw new ArgumentException($"label {label} is outside [0, {classes})");
        if (labels.Count == 0) return new ClassificationAccuracy(0, 0, 0, 0);

        using var scope = torch.NewDisposeScope();
        var truth = torch.tensor(labels.Select(l => (long)l).ToArray());
        var trueScore = logits.gather(1, truth.unsqueeze(1)); // [N, 1]
        // Rank of the true class = classes scoring at least as high, itself excluded.
        var rank = logits.ge(trueScore).sum(dim: 1).sub(1); // [N]
        var top1Hits = rank.eq(0);
        double top1 = top1Hits.to_type(ScalarType.Float64).mean().ToDouble();
        double top5 = rank.lt(5).to_type(ScalarType.Float64).mean().ToDouble();

        var perClassImages = torch.zeros(classes, ScalarType.Float64).index_add_(0, truth, torch.ones(labels.Count, ScalarType.Float64), 1.0);
        var perClassHits = torch.zeros(classes, ScalarType.Float64).index_add_(0, truth, top1Hits.to_type(ScalarType.Float64), 1.0);
        var present = perClassImages.gt(0);
        double meanPerClass = perClassHits.masked_select(present).div(perClassImages.masked_select(present)).mean().ToDouble();
        return new ClassificationAccuracy(top1, top5, meanPerClass, labels.Count);
    }
}
