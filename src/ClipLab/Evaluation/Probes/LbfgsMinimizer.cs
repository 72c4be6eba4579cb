using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>
/// Limited-memory BFGS (Nocedal &amp; Wright, algorithm 7.4) with a backtracking Armijo line search, for smooth
/// full-batch objectives such as the linear probe's regularised cross-entropy. Deterministic; works on float64
/// tensors of any shape (treated as flat vectors).
/// </summary>
/// <remarks>
/// Written here rather than using TorchSharp's <c>optim.LBFGS</c> because that one has no line search: on
/// badly scaled problems (weak regularisation) its fixed steps can overshoot, and a probe must converge
/// reliably for every value of the regularisation sweep. For a strongly convex objective (L2 strength &gt; 0),
/// every accepted step keeps sᵀy &gt; 0, so the inverse-Hessian approximation stays positive definite.
/// </remarks>
public static class LbfgsMinimizer
{
    private const double ArmijoSlope = 1e-4;
    private const int MaxBacktracks = 40;

    /// <summary>
    /// Minimises <paramref name="objective"/> from <paramref name="start"/> (not modified). The objective returns the
    /// loss and its gradient (same shape as its argument; the minimiser disposes it).
    /// </summary>
    public static LbfgsResult Minimize(Func<Tensor, (double Loss, Tensor Gradient)> objective, Tensor start, LbfgsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(start);
        options ??= LbfgsOptions.Default;
        var s = new List<Tensor>();
        var y = new List<Tensor>();
        var rho = new List<double>();
        var x = start.detach().to_type(ScalarType.Float64).clone();
        var (f, g) = objective(x);
        bool converged = false;
        int iteration = 0;
        try
        {
            for (; iteration < options.MaxIterations; iteration++)
            {
                if (MaxAbs(g) <= options.GradientTolerance)
                {
                    converged = true;
                    break;
                }
                using var direction = Direction(g, s, y, rho);
                double slope = Dot(g, direction);
                if (!(slope < 0))
                {
                    // Not a descent direction (numerical trouble): restart from steepest descent.
                    Clear(s, y, rho);
                    direction.copy_(g).neg_();
                    slope = -Dot(g, g);
                }
                // First step: scaled so a badly scaled gradient does not leap far (as PyTorch's LBFGS).
                double step = s.Count == 0 ? Math.Min(1.0, 1.0 / SumAbs(g)) : 1.0;
                Tensor? xNext = null, gNext = null;
                double fNext = double.NaN;
                for (int b = 0; b < MaxBacktracks; b++, step *= 0.5)
                {
                    xNext = x.add(direction, alpha: step);
                    (fNext, gNext) = objective(xNext);
                    if (fNext <= f + ArmijoSlope * step * slope) break;
                    xNext.Dispose();
                    gNext.Dispose();
                    xNext = gNext = null;
                }
                if (xNext is null || gNext is null) break; // no decrease along a descent direction: at the precision limit

                var sk = xNext.sub(x);
                var yk = gNext.sub(g);
                double sy = Dot(sk, yk);
                if (sy > 1e-12)
                {
                    s.Add(sk);
                    y.Add(yk);
                    rho.Add(1.0 / sy);
                    if (s.Count > options.History)
                    {
                        s[0].Dispose();
                        y[0].Dispose();
                        s.RemoveAt(0);
                        y.RemoveAt(0);
                        rho.RemoveAt(0);
                    }
                }
                else
                {
                    sk.Dispose();
                    yk.Dispose();
                }
                double decrease = f - fNext;
                x.Dispose();
                g.Dispose();
                x = xNext;
                g = gNext;
                f = fNext;
                if (decrease <= options.RelativeLossTolerance * Math.Max(Math.Abs(f), 1.0))
                {
                    converged = true;
                    iteration++;
                    break;
                }
            }
            return new LbfgsResult(x, f, iteration, converged);
        }
        finally
        {
            g.Dispose();
            Clear(s, y, rho);
        }
    }

    /// <summary>The two-loop recursion: −H·g with H the L-BFGS inverse-Hessian approximation.</summary>
    private static Tensor Direction(Tensor g, List<Tensor> s, List<Tensor> y, List<double> rho)
    {
        var q = g.clone();
        int k = s.Count;
        var alpha = new double[k];
        for (int i = k - 1; i >= 0; i--)
        {
            alpha[i] = rho[i] * Dot(s[i], q);
            q.add_(y[i], alpha: -alpha[i]);
        }
        if (k > 0)
        {
            // Initial Hessian scaling γ = sᵀy / yᵀy of the newest pair.
            double gamma = 1.0 / (rho[k - 1] * Dot(y[k - 1], y[k - 1]));
            q.mul_(gamma);
        }
        for (int i = 0; i < k; i++)
        {
            double beta = rho[i] * Dot(y[i], q);
            q.add_(s[i], alpha: alpha[i] - beta);
        }
        return q.neg_();
    }

    private static double Dot(Tensor a, Tensor b)
    {
        using var flatA = a.flatten();
        using var flatB = b.flatten();
        using var dot = flatA.dot(flatB);
        return dot.ToDouble();
    }

    private static double MaxAbs(Tensor t)
    {
        using var abs = t.abs();
        using var max = abs.max();
        return max.ToDouble();
    }

    private static double SumAbs(Tensor t)
    {
        using var abs = t.abs();
        using var sum = abs.sum();
        return sum.ToDouble();
    }

    private static void Clear(List<Tensor> s, List<Tensor> y, List<double> rho)
    {
        foreach (var t in s) t.Dispose();
        foreach (var t in y) t.Dispose();
        s.Clear();
        y.Clear();
        rho.Clear();
    }
}
