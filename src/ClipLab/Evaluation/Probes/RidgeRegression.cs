using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>
/// L2-regularised least squares in closed form: W = argmin ‖XW − Y‖² + λ‖W‖² = (XᵀX + λI)⁻¹XᵀY. With fewer
/// rows than columns (few-shot: 10 images, 129 features) the equivalent dual form Xᵀ(XXᵀ + λI)⁻¹Y solves an
/// N×N system instead of a D×D one, as big_vision's few-shot evaluator does. Both use a Cholesky
/// factorisation of a symmetric positive-definite matrix (λ &gt; 0), in float64.
/// </summary>
public static class RidgeRegression
{
    /// <summary>The solution W [D, C] for X [N, D] and targets Y [N, C].</summary>
    /// <exception cref="ArgumentException">Shapes disagree or λ is not positive.</exception>
    public static Tensor Solve(Tensor x, Tensor y, double l2)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.dim() != 2 || y.dim() != 2 || x.shape[0] != y.shape[0])
            throw new ArgumentException($"X [{string.Join(", ", x.shape)}] and Y [{string.Join(", ", y.shape)}] must be [N, D] and [N, C]");
        if (!(l2 > 0) || double.IsInfinity(l2)) throw new ArgumentOutOfRangeException(nameof(l2), "L2 strength must be positive and finite");
        using var scope = torch.NewDisposeScope();
        var x64 = x.to_type(ScalarType.Float64);
        var y64 = y.to_type(ScalarType.Float64);
        long n = x64.shape[0], d = x64.shape[1];
        Tensor w;
        if (n >= d)
        {
            var gram = x64.t().matmul(x64).add_(torch.eye(d, dtype: ScalarType.Float64), alpha: l2); // [D, D]
            w = torch.cholesky_solve(x64.t().matmul(y64), torch.linalg.cholesky(gram));
        }
        else
        {
            var gram = x64.matmul(x64.t()).add_(torch.eye(n, dtype: ScalarType.Float64), alpha: l2); // [N, N]
            w = x64.t().matmul(torch.cholesky_solve(y64, torch.linalg.cholesky(gram)));
        }
        return w.MoveToOuterDisposeScope();
    }
}
