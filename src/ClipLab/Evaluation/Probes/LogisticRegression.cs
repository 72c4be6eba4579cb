using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>
/// Multinomial logistic regression (a softmax linear classifier) trained full-batch to convergence with
/// <see cref="LbfgsMinimizer"/>, minimising the mean cross-entropy plus (λ/2)·‖W‖² — the bias is not penalised,
/// as in scikit-learn's LogisticRegression used by CLIP's linear probes.
/// </summary>
public sealed class LogisticRegression : IDisposable
{
    private LogisticRegression(Tensor weights, double l2, int iterations, bool converged, double loss)
    {
        Weights = weights;
        L2 = l2;
        Iterations = iterations;
        Converged = converged;
        Loss = loss;
    }

    /// <summary>float64 [E + 1, classes]: a weight row per feature, the bias in the last row.</summary>
    public Tensor Weights { get; }

    /// <summary>The L2 strength λ it was trained with.</summary>
    public double L2 { get; }

    /// <summary>L-BFGS iterations used.</summary>
    public int Iterations { get; }

    /// <summary>Whether L-BFGS met its tolerance.</summary>
    public bool Converged { get; }

    /// <summary>Final training objective.</summary>
    public double Loss { get; }

    /// <summary>
    /// Trains on features [N, E] (float64, e.g. standardised) with labels in [0, classes). <paramref name="start"/>
    /// warm-starts from another model's weights (e.g. the previous value of an L2 sweep).
    /// </summary>
    public static LogisticRegression Fit(Tensor features, IReadOnlyList<int> labels, int classes, double l2,
        LogisticRegression? start = null, LbfgsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || features.shape[0] != labels.Count || labels.Count == 0)
            throw new ArgumentException($"features [{string.Join(", ", features.shape)}] do not match {labels.Count} labels");
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), "need at least two classes");
        if (!(l2 >= 0) || double.IsInfinity(l2)) throw new ArgumentOutOfRangeException(nameof(l2), "L2 strength must be finite and non-negative");
        long n = features.shape[0], e = features.shape[1];

        // The data-sized products run in float32 (they dominate the cost: two [N, E+1]×[E+1, C] products per
        // evaluation); the optimiser's vectors, the loss sum and the penalty stay in float64.
        using var x = WithBiasColumn(features, ScalarType.Float32);
        using var xt = x.t().contiguous();
        using var truth = torch.tensor(labels.Select(l => (long)l).ToArray()).unsqueeze(1);
        using var oneHot = nn.functional.one_hot(truth.squeeze(1), classes);
        using var targets = oneHot.to_type(ScalarType.Float32);
        // Mask of penalised entries: every weight row but the bias row.
        using var penalised = torch.ones(e + 1, classes, ScalarType.Float64);
        using (var biasRow = penalised[e]) biasRow.fill_(0);

        (double, Tensor) Objective(Tensor w)
        {
            using var scope = torch.NewDisposeScope();
            var logProbabilities = nn.functional.log_softmax(x.matmul(w.to_type(ScalarType.Float32)), 1);
            var masked = w.mul(penalised);
            double loss = -logProbabilities.gather(1, truth).to_type(ScalarType.Float64).sum().ToDouble() / n
                          + 0.5 * l2 * masked.square().sum().ToDouble();
            var gradient = xt.matmul(logProbabilities.exp_().sub_(targets)).to_type(ScalarType.Float64).div_(n).add_(masked, alpha: l2);
            return (loss, gradient.MoveToOuterDisposeScope());
        }

        using var initial = start is not null && start.Weights.shape[0] == e + 1 && start.Weights.shape[1] == classes
            ? start.Weights.clone()
            : torch.zeros(e + 1, classes, ScalarType.Float64); // zero init, as the paper's probe
        var result = LbfgsMinimizer.Minimize(Objective, initial, options);
        return new LogisticRegression(result.Solution, l2, result.Iterations, result.Converged, result.Loss);
    }

    /// <summary>Class scores [M, classes] (float64) for features [M, E] prepared like the training features.</summary>
    public Tensor Logits(Tensor features)
    {
        using var x = WithBiasColumn(features, ScalarType.Float64);
        return x.matmul(Weights);
    }

    private static Tensor WithBiasColumn(Tensor features, ScalarType type)
    {
        using var x = features.to_type(type);
        using var ones = torch.ones(x.shape[0], 1, type);
        return torch.cat(new[] { x, ones }, 1);
    }

    /// <inheritdoc />
    public void Dispose() => Weights.Dispose();
}
