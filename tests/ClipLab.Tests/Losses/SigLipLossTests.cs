using ClipLab.Losses;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Losses;

public sealed class SigLipLossTests
{
    private static double LogSigmoid(double x) => -Math.Log(1 + Math.Exp(-x));

    [Fact]
    public void Compute_MatchesHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new double[] { 1, 0, 0, 1 }).view(2, 2);
        var text = torch.tensor(new double[] { 0.6, 0.8, 1, 0 }).view(2, 2);
        var logScale = torch.tensor(Math.Log(2.0));
        var bias = torch.tensor(-1.0);

        // t = 2, b = −1; I·Tᵀ = [[0.6, 1.0], [0.8, 0.0]] → logits [[0.2, 1.0], [0.6, −1.0]]; z = +1 on the diagonal, −1 off it.
        // loss = −(1/2) Σ_ij log σ(z_ij · logit_ij).
        var expected = -(LogSigmoid(0.2) + LogSigmoid(-1.0) + LogSigmoid(-0.6) + LogSigmoid(-1.0)) / 2;

        var loss = SigLipLoss.Compute(image, text, logScale, bias);
        Assert.Empty(loss.shape);
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void Compute_IsSumOverPairsMeanOverRows()
    {
        torch.manual_seed(31);
        using var scope = torch.NewDisposeScope();
        var a = nn.functional.normalize(torch.randn(5, 8, dtype: ScalarType.Float64), dim: -1);
        var b = nn.functional.normalize(torch.randn(5, 8, dtype: ScalarType.Float64), dim: -1);
        double t = 3.0, bias = -2.5;
        var x = a.data<double>().ToArray();
        var y = b.data<double>().ToArray();
        double total = 0;
        for (int i = 0; i < 5; i++)
        for (int j = 0; j < 5; j++)
        {
            double dot = 0;
            for (int k = 0; k < 8; k++) dot += x[i * 8 + k] * y[j * 8 + k];
            total += LogSigmoid((i == j ? 1 : -1) * (t * dot + bias));
        }
        var loss = SigLipLoss.Compute(a, b, torch.tensor(Math.Log(t), dtype: ScalarType.Float64), torch.tensor(bias, dtype: ScalarType.Float64));
        Assert.Equal(-total / 5, loss.item<double>(), 10);
    }

    [Fact]
    public void Compute_IsDifferentiableWithRespectToEmbeddingsTemperatureAndBias()
    {
        torch.manual_seed(32);
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(4, 6).requires_grad_();
        var b = torch.randn(4, 6).requires_grad_();
        var s = torch.tensor((float)SigLipLoss.InitLogitScale).requires_grad_();
        var bias = torch.tensor((float)SigLipLoss.InitLogitBias).requires_grad_();
        SigLipLoss.Compute(nn.functional.normalize(a, dim: -1), nn.functional.normalize(b, dim: -1), s, bias).backward();
        foreach (var t in new[] { a, b, s, bias })
        {
            Assert.NotNull(t.grad);
            Assert.True(t.grad!.abs().sum().item<float>() > 0);
        }
    }

    [Fact]
    public void InitialValuesAreTheSigLipPapers()
    {
        Assert.Equal(10.0, Math.Exp(SigLipLoss.InitLogitScale), 12);
        Assert.Equal(-10.0, SigLipLoss.InitLogitBias);
    }

    [Fact]
    public void Compute_MismatchedShapes_Throws()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => SigLipLoss.Compute(torch.zeros(2, 3), torch.zeros(3, 3), torch.tensor(0f), torch.tensor(0f)));
    }
}
