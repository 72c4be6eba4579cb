using ClipLab.Data.Sources;
using ClipLab.Evaluation.Features;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>
/// Linear-probe evaluation of frozen features (CLIP, the paper §3.2): standardise with the training features'
/// statistics, hold out a validation split, train a multinomial logistic regression for each L2 strength of
/// <see cref="L2Sweep"/> and keep the one with the best validation accuracy, retrain with it on all the
/// training features, and report top-1/top-5/mean per-class accuracy on each test set (in-distribution and
/// shifted).
/// </summary>
public static class LinearProbe
{
    /// <summary>Runs the probe.</summary>
    /// <param name="train">Training features and labels (at least two images of the classes used).</param>
    /// <param name="classes">Number of classes (labels are in [0, classes)).</param>
    /// <param name="tests">Test feature sets by name.</param>
    /// <param name="options">Split and search settings.</param>
    /// <exception cref="ArgumentException">Too few training images to hold out a validation split.</exception>
    public static LinearProbeResult Run(FeatureSet train, int classes, IReadOnlyDictionary<string, FeatureSet> tests, LinearProbeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(tests);
        options ??= LinearProbeOptions.Default;
        int validationCount = (int)Math.Round(train.Count * options.ValidationFraction);
        if (validationCount < 1 || validationCount >= train.Count)
            throw new ArgumentException($"cannot hold out {options.ValidationFraction:P0} of {train.Count} training images for validation");

        // A seeded permutation, the same for every checkpoint, so probes of different checkpoints see the same split.
        var order = Enumerable.Range(0, train.Count).ToArray();
        SeedMixer.Random(options.Seed, 0x11EA2).Shuffle(order);
        var fitIndex = order[validationCount..];
        var validationIndex = order[..validationCount];

        var sweep = new List<L2SweepPoint>();
        var models = new List<LogisticRegression>(); // small ([E + 1, C]); all kept until the final fit has warm-started
        try
        {
            LogisticRegression bestModel;
            using (var fitFeatures = Rows(train.Features, fitIndex))
            using (var validationFeatures = Rows(train.Features, validationIndex))
            using (var standardizer = new FeatureStandardizer(fitFeatures))
            using (var fitX = standardizer.Apply(fitFeatures))
            using (var validationX = standardizer.Apply(validationFeatures))
            {
                var fitLabels = fitIndex.Select(i => train.Labels[i]).ToArray();
                var validationLabels = validationIndex.Select(i => train.Labels[i]).ToArray();
                void Try(double l2, LogisticRegression? warm)
                {
                    var model = LogisticRegression.Fit(fitX, fitLabels, classes, l2, warm, options.Lbfgs);
                    models.Add(model);
                    using var logits = model.Logits(validationX);
                    sweep.Add(new L2SweepPoint(l2, ClassificationAccuracy.Measure(logits, validationLabels).Top1, model.Iterations));
                }
                foreach (double l2 in L2Sweep.CoarseGrid) Try(l2, models.LastOrDefault());
                if (options.Refine)
                {
                    var coarseBest = L2Sweep.Best(sweep);
                    var warm = models[sweep.IndexOf(coarseBest)];
                    foreach (double l2 in L2Sweep.Refinement(coarseBest.L2)) Try(l2, warm);
                }
                bestModel = models[sweep.IndexOf(L2Sweep.Best(sweep))];
            }
            var best = L2Sweep.Best(sweep);

            // Final probe: all training images, the chosen strength, warm-started from the sweep's best model.
            using var allStandardizer = new FeatureStandardizer(train.Features);
            using var allX = allStandardizer.Apply(train.Features);
            using var final = LogisticRegression.Fit(allX, train.Labels, classes, best.L2, bestModel, options.Lbfgs);
            var results = new Dictionary<string, ClassificationAccuracy>(StringComparer.Ordinal);
            foreach (var (name, test) in tests)
            {
                using var x = allStandardizer.Apply(test.Features);
                using var logits = final.Logits(x);
                results[name] = ClassificationAccuracy.Measure(logits, test.Labels);
            }
            return new LinearProbeResult(best.L2, best.ValidationTop1, sweep, train.Count, final.Iterations, final.Converged, results);
        }
        finally
        {
            foreach (var model in models) model.Dispose();
        }
    }

    private static Tensor Rows(Tensor features, int[] index)
    {
        using var idx = torch.tensor(index.Select(i => (long)i).ToArray());
        return features.index_select(0, idx);
    }
}
