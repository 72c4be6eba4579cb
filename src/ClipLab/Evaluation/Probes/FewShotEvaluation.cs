using ClipLab.Data.Sources;
using ClipLab.Evaluation.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>
/// Few-shot linear evaluation as big_vision's <c>fewshot_lsr</c> evaluator (the paper's lineage): for each seed,
/// shuffle each class's training images and take the first k of each class (so the 5-shot set contains the
/// 1-shot set); standardise with that set's statistics, append a constant bias feature of 100 (large, so the bias
/// is almost unregularised), regress ±1 one-hot targets with closed-form ridge regression (λ = 2¹⁰ by default),
/// and classify the test images by the largest output. Accuracy is averaged over the seeds.
/// </summary>
public static class FewShotEvaluation
{
    /// <summary>big_vision's default shots.</summary>
    public static IReadOnlyList<int> DefaultShots { get; } = [1, 5, 10, 25];

    /// <summary>big_vision's default ridge strength, 2¹⁰.</summary>
    public const double DefaultL2 = 1024;

    /// <summary>big_vision's bias feature value.</summary>
    public const double BiasFeature = 100;

    /// <summary>Runs every number of <paramref name="shots"/> for seeds 0..<paramref name="seeds"/>−1.</summary>
    /// <exception cref="ArgumentException">A class of the test set has no training image, or the arguments are out of range.</exception>
    public static IReadOnlyList<FewShotResult> Run(FeatureSet train, FeatureSet test, int classes, IReadOnlyList<int>? shots = null,
        int seeds = 3, double l2 = DefaultL2)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        shots ??= DefaultShots;
        if (seeds < 1) throw new ArgumentOutOfRangeException(nameof(seeds), "need at least one seed");
        if (shots.Any(k => k < 1)) throw new ArgumentOutOfRangeException(nameof(shots), "shots must be positive");
        var byClass = Enumerable.Range(0, classes).Select(c => new List<int>()).ToArray();
        for (int i = 0; i < train.Count; i++) byClass[train.Labels[i]].Add(i);
        var present = Enumerable.Range(0, classes).Where(c => byClass[c].Count > 0).ToArray();
        if (present.Length < 2) throw new ArgumentException("few-shot evaluation needs training images of at least two classes");

        var perSeed = shots.ToDictionary(k => k, _ => new List<double>());
        for (int seed = 0; seed < seeds; seed++)
        {
            var rng = SeedMixer.Random((ulong)seed, 0xF35);
            var shuffled = byClass.Select(list => { var a = list.ToArray(); rng.Shuffle(a); return a; }).ToArray();
            foreach (int k in shots)
            {
                // Classes with fewer than k images contribute all they have.
                var index = present.SelectMany(c => shuffled[c].Take(k)).ToArray();
                perSeed[k].Add(Accuracy(train, index, test, classes, l2));
            }
        }
        return shots.Select(k =>
        {
            var values = perSeed[k];
            double mean = values.Average();
            double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
            return new FewShotResult(k, mean, std, values, l2);
        }).ToArray();
    }

    /// <summary>Test top-1 of the ridge classifier trained on the training rows <paramref name="index"/>.</summary>
    public static double Accuracy(FeatureSet train, int[] index, FeatureSet test, int classes, double l2)
    {
        using var scope = torch.NewDisposeScope();
        var rows = train.Features.index_select(0, torch.tensor(index.Select(i => (long)i).ToArray()));
        using var standardizer = new FeatureStandardizer(rows);
        var x = WithBias(standardizer.Apply(rows));
        var labels = torch.tensor(index.Select(i => (long)train.Labels[i]).ToArray());
        var targets = nn.functional.one_hot(labels, classes).to_type(ScalarType.Float64).mul_(2).sub_(1); // ±1
        var w = RidgeRegression.Solve(x, targets, l2);
        var logits = WithBias(standardizer.Apply(test.Features)).matmul(w);
        return ClassificationAccuracy.Measure(logits, test.Labels).Top1;
    }

    private static Tensor WithBias(Tensor x) => torch.cat(new[] { x, torch.full(x.shape[0], 1, BiasFeature, ScalarType.Float64) }, 1);
}
