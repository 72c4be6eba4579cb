using ClipLab.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Losses;

public sealed class SimClrLossTests
{
    [Fact]
    public void Compute_MatchesHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        // Two images, two unit views each: a = (a0, a1), b = (b0, b1); τ = 0.5.
        var a = torch.tensor(new double[] { 1, 0, 0, 1 }).view(2, 2);
        var b = torch.tensor(new double[] { 0.6, 0.8, 1, 0 }).view(2, 2);
        const double tau = 0.5;
        // Similarities: a0·a1 = 0, a0·b0 = 0.6, a0·b1 = 1, a1·b0 = 0.8, a1·b1 = 0, b0·b1 = 0.6.
        // Each view's candidates are the three other views; its target is the other view of its image.
        static double E(double s) => Math.Exp(s / tau);
        double a0 = -0.6 / tau + Math.Log(E(0) + E(0.6) + E(1.0));   // target b0 among a1, b0, b1
        double a1 = -0.0 / tau + Math.Log(E(0) + E(0.8) + E(0.0));   // target b1 among a0, b0, b1
        double b0 = -0.6 / tau + Math.Log(E(0.6) + E(0.8) + E(0.6)); // target a0 among a0, a1, b1
        double b1 = -0.0 / tau + Math.Log(E(1.0) + E(0.0) + E(0.6)); // target a1 among a0, a1, b0
        double expected = (a0 + a1 + b0 + b1) / 4;

        var loss = SimClrLoss.Compute(a, b, tau);
        Assert.Empty(loss.shape);
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void Compute_NormalisesItsInputs()
    {
        torch.manual_seed(41);
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(6, 5, dtype: ScalarType.Float64);
        var b = torch.randn(6, 5, dtype: ScalarType.Float64);
        var scaled = SimClrLoss.Compute(a * 7.0, b * 0.3).item<double>();
        Assert.Equal(SimClrLoss.Compute(a, b).item<double>(), scaled, 10);
    }

    [Fact]
    public void Compute_EqualsSlipsTwoSidedCrossEntropy()
    {
        // SLIP's losses.py: (CE([q_a·q_bᵀ, q_a·q_aᵀ − ∞·I] / τ, arange) + CE([q_b·q_aᵀ, q_b·q_bᵀ − ∞·I] / τ, arange)) / 2.
        torch.manual_seed(42);
        using var scope = torch.NewDisposeScope();
        var qa = nn.functional.normalize(torch.randn(4, 3, dtype: ScalarType.Float64), dim: -1);
        var qb = nn.functional.normalize(torch.randn(4, 3, dtype: ScalarType.Float64), dim: -1);
        var mask = torch.eye(4, dtype: ScalarType.Float64) * 1e9;
        var labels = torch.arange(4, dtype: ScalarType.Int64);
        var lossA = nn.functional.cross_entropy(cat([qa.matmul(qb.t()) / 0.1, qa.matmul(qa.t()) / 0.1 - mask], 1), labels);
        var lossB = nn.functional.cross_entropy(cat([qb.matmul(qa.t()) / 0.1, qb.matmul(qb.t()) / 0.1 - mask], 1), labels);
        Assert.Equal(((lossA + lossB) / 2).item<double>(), SimClrLoss.Compute(qa, qb, 0.1).item<double>(), 9);
    }

    [Fact]
    public void Compute_GradientsAreFinite()
    {
        torch.manual_seed(43);
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(4, 6).requires_grad_();
        var b = torch.randn(4, 6).requires_grad_();
        SimClrLoss.Compute(a, b).backward();
        Assert.True(torch.isfinite(a.grad!).all().item<bool>());
        Assert.True(a.grad!.abs().sum().item<float>() > 0);
    }
}
