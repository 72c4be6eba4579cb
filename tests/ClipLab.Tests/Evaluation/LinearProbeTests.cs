using ClipLab.Evaluation;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Probes;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class LinearProbeTests
{
    private static int[] Labels(int classes, int perClass) => Enumerable.Range(0, classes * perClass).Select(i => i % classes).ToArray();

    /// <summary>Class c's features are the c-th basis vector of a 16-d space plus noise, renormalised (like embeddings).</summary>
    private static Tensor ClassFeatures(int[] labels, double noise, long seed) =>
        ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(16, labels), noise, seed);

    [Fact]
    public void SeparableFeaturesReachOneInDistributionAndOnAShiftedSet()
    {
        int[] trainLabels = Labels(10, 30), testLabels = Labels(10, 20);
        using var train = ClassFeatures(trainLabels, 0.05, 1);
        using var test = ClassFeatures(testLabels, 0.05, 2);
        using var shifted = ClassFeatures(testLabels, 0.15, 3);
        var result = LinearProbe.Run(new FeatureSet(train, trainLabels), 10, new Dictionary<string, FeatureSet>
        {
            ["test"] = new(test, testLabels),
            ["shifted"] = new(shifted, testLabels),
        });
        Assert.Equal(new ClassificationAccuracy(1, 1, 1, 200), result.Tests["test"]);
        Assert.Equal(1.0, result.Tests["shifted"].Top1);
        Assert.Equal(1.0, result.ValidationTop1);
        Assert.Equal(300, result.TrainImages);
        Assert.True(result.Converged);
    }

    [Fact]
    public void PermutedTrainingLabelsGiveChance()
    {
        int[] trainLabels = Labels(10, 60), testLabels = Labels(10, 200);
        using var train = ClassFeatures(trainLabels, 0.05, 4);
        using var test = ClassFeatures(testLabels, 0.05, 5);
        var rng = new Random(6);
        var shuffled = trainLabels.OrderBy(_ => rng.Next()).ToArray();
        var result = LinearProbe.Run(new FeatureSet(train, shuffled), 10, new Dictionary<string, FeatureSet> { ["test"] = new(test, testLabels) });
        Assert.InRange(result.Tests["test"].Top1, 0.03, 0.17);
        Assert.InRange(result.Tests["test"].MeanPerClass, 0.03, 0.17);
    }

    [Fact]
    public void TheSweepPicksTheBestValidationValue()
    {
        // Noisy, overlapping classes and few images: the validation accuracy depends on the L2 strength.
        int[] trainLabels = Labels(10, 12), testLabels = Labels(10, 30);
        using var train = ClassFeatures(trainLabels, 0.6, 7);
        using var test = ClassFeatures(testLabels, 0.6, 8);
        var result = LinearProbe.Run(new FeatureSet(train, trainLabels), 10, new Dictionary<string, FeatureSet> { ["test"] = new(test, testLabels) });

        Assert.Equal(L2Sweep.CoarseGrid.Count + 2, result.Sweep.Count);
        Assert.Equal(L2Sweep.CoarseGrid, result.Sweep.Take(L2Sweep.CoarseGrid.Count).Select(p => p.L2));
        double bestValidation = result.Sweep.Max(p => p.ValidationTop1);
        Assert.Equal(bestValidation, result.ValidationTop1);
        Assert.Equal(result.Sweep.Where(p => p.ValidationTop1 == bestValidation).Max(p => p.L2), result.L2);
        Assert.True(result.Sweep.Select(p => p.ValidationTop1).Distinct().Count() > 1, "the sweep should matter on this data");
        // The refinement brackets the best coarse value by half a decade.
        var coarseBest = L2Sweep.Best(result.Sweep.Take(L2Sweep.CoarseGrid.Count).ToList());
        Assert.Equal(coarseBest.L2 * Math.Sqrt(10), result.Sweep[^2].L2, 12);
        Assert.Equal(coarseBest.L2 / Math.Sqrt(10), result.Sweep[^1].L2, 12);
    }

    [Fact]
    public void BestBreaksTiesTowardsStrongerRegularisation()
    {
        var best = L2Sweep.Best([new(1e-4, 0.8, 10), new(1e-2, 0.9, 10), new(1e-1, 0.9, 10), new(1, 0.7, 10)]);
        Assert.Equal(1e-1, best.L2);
        Assert.Throws<ArgumentException>(() => L2Sweep.Best([]));
    }

    [Fact]
    public void LogisticRegressionReachesAStationaryPoint()
    {
        // At the optimum of the regularised loss the gradient vanishes: Xᵀ(P − Y)/N + λ·W (bias unpenalised) = 0.
        int[] labels = Labels(3, 20);
        using var x = ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(5, labels), 0.8, 9).to_type(ScalarType.Float64);
        double l2 = 0.01;
        using var model = LogisticRegression.Fit(x, labels, 3, l2, options: new LbfgsOptions(GradientTolerance: 1e-6, RelativeLossTolerance: 0));
        Assert.True(model.Converged);
        using var scope = torch.NewDisposeScope();
        var xb = torch.cat(new[] { x, torch.ones(x.shape[0], 1, ScalarType.Float64) }, 1);
        var p = nn.functional.softmax(xb.matmul(model.Weights), 1);
        var y = nn.functional.one_hot(torch.tensor(labels.Select(l => (long)l).ToArray()), 3).to_type(ScalarType.Float64);
        var gradient = xb.t().matmul(p - y) / labels.Length;
        gradient.narrow(0, 0, 5).add_(model.Weights.narrow(0, 0, 5), alpha: l2);
        Assert.True(gradient.abs().max().ToDouble() < 1e-5);
    }
}
