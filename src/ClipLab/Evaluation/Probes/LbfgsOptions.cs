namespace ClipLab.Evaluation.Probes;

/// <summary>Stopping rules and memory of <see cref="LbfgsMinimizer"/>.</summary>
/// <param name="MaxIterations">Iterations at most (each evaluates the objective once, more when the line search backtracks).</param>
/// <param name="History">Curvature pairs kept (L-BFGS memory), 10 as scikit-learn and PyTorch default.</param>
/// <param name="GradientTolerance">Converged when the largest absolute gradient component is at most this (scikit-learn's
/// default <c>tol</c> for its L-BFGS logistic regression, 1e-4).</param>
/// <param name="RelativeLossTolerance">Converged when an iteration lowers the loss by at most this × max(|loss|, 1) (about
/// scikit-learn's <c>factr</c> 10⁷ × machine epsilon).</param>
public sealed record LbfgsOptions(int MaxIterations = 1000, int History = 10, double GradientTolerance = 1e-4, double RelativeLossTolerance = 2e-9)
{
    /// <summary>The defaults.</summary>
    public static LbfgsOptions Default { get; } = new();
}
