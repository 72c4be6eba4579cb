using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Probes;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class FewShotEvaluationTests
{
    private static int[] Labels(int classes, int perClass) => Enumerable.Range(0, classes * perClass).Select(i => i % classes).ToArray();

    [Theory]
    [InlineData(50, 8)]  // more rows than columns: the primal system
    [InlineData(6, 20)]  // fewer rows than columns: the dual system (few-shot's usual case)
    public void RidgeClosedFormEqualsADirectSolve(int rows, int columns)
    {
        using var generator = new torch.Generator(11);
        using var x = torch.randn(rows, columns, ScalarType.Float64, generator: generator);
        using var y = torch.randn(rows, 3, ScalarType.Float64, generator: generator);
        double l2 = 0.7;
        using var w = RidgeRegression.Solve(x, y, l2);
        using var scope = torch.NewDisposeScope();
        var direct = torch.linalg.solve(x.t().matmul(x) + l2 * torch.eye(columns, dtype: ScalarType.Float64), x.t().matmul(y));
        Assert.Equal(new long[] { columns, 3 }, w.shape);
        Assert.True((w - direct).abs().max().ToDouble() < 1e-10);
    }

    [Fact]
    public void SeparableFeaturesScoreOneAtEveryShot()
    {
        // One embedding dimension per class: the per-set standardisation (big_vision's) would blow pure-noise
        // dimensions up to the signal's scale when fitted on a handful of 1-shot images.
        int[] trainLabels = Labels(10, 30), testLabels = Labels(10, 20);
        using var train = ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(10, trainLabels), 0.05, 1);
        using var test = ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(10, testLabels), 0.05, 2);
        var results = FewShotEvaluation.Run(new FeatureSet(train, trainLabels), new FeatureSet(test, testLabels), 10);
        Assert.Equal(new[] { 1, 5, 10, 25 }, results.Select(r => r.Shots));
        Assert.All(results, r =>
        {
            Assert.Equal(1.0, r.Top1);
            Assert.Equal(3, r.PerSeed.Count);
            Assert.Equal(1024, r.L2);
        });
    }

    [Fact]
    public void PermutedLabelsScoreAtChanceAndSeedsAreReproducible()
    {
        int[] trainLabels = Labels(10, 40), testLabels = Labels(10, 200);
        using var train = ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(16, trainLabels), 0.05, 3);
        using var test = ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(16, testLabels), 0.05, 4);
        var rng = new Random(5);
        var shuffled = trainLabels.OrderBy(_ => rng.Next()).ToArray();
        var results = FewShotEvaluation.Run(new FeatureSet(train, shuffled), new FeatureSet(test, testLabels), 10, [25]);
        Assert.InRange(results[0].Top1, 0.03, 0.2);

        var again = FewShotEvaluation.Run(new FeatureSet(train, shuffled), new FeatureSet(test, testLabels), 10, [25]);
        Assert.Equal(results[0].PerSeed, again[0].PerSeed);
    }
}
