using ClipLab.Evaluation.Probes;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class LbfgsMinimizerTests
{
    [Fact]
    public void QuadraticReachesTheExactMinimiser()
    {
        // f(x) = ½xᵀAx − bᵀx with an ill-conditioned A (condition 1000): minimiser A⁻¹b.
        using var a = torch.diag(torch.tensor(new double[] { 1000, 100, 10, 1 }));
        using var b = torch.tensor(new double[] { 1, 2, 3, 4 });
        (double, Tensor) F(Tensor x)
        {
            using var ax = a.matmul(x);
            return (0.5 * x.dot(ax).ToDouble() - b.dot(x).ToDouble(), ax.sub(b));
        }
        using var start = torch.zeros(4, ScalarType.Float64);
        var result = LbfgsMinimizer.Minimize(F, start, new LbfgsOptions(GradientTolerance: 1e-10, RelativeLossTolerance: 0));
        using var solution = result.Solution;
        Assert.True(result.Converged);
        Assert.Equal(new[] { 0.001, 0.02, 0.3, 4.0 }, solution.data<double>().ToArray(), new DoubleTolerance(1e-8));
    }

    [Fact]
    public void RosenbrockValleyIsFollowedToItsMinimum()
    {
        (double, Tensor) F(Tensor x)
        {
            double u = x[0].ToDouble(), v = x[1].ToDouble();
            double f = (1 - u) * (1 - u) + 100 * (v - u * u) * (v - u * u);
            return (f, torch.tensor(new[] { -2 * (1 - u) - 400 * u * (v - u * u), 200 * (v - u * u) }));
        }
        using var start = torch.tensor(new[] { -1.2, 1.0 });
        var result = LbfgsMinimizer.Minimize(F, start, new LbfgsOptions(GradientTolerance: 1e-8, RelativeLossTolerance: 0));
        using var solution = result.Solution;
        Assert.Equal(new[] { 1.0, 1.0 }, solution.data<double>().ToArray(), new DoubleTolerance(1e-5));
    }
}

/// <summary>Compares doubles within an absolute tolerance.</summary>
internal sealed class DoubleTolerance(double tolerance) : IEqualityComparer<double>
{
    public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance;

    public int GetHashCode(double obj) => 0;
}
