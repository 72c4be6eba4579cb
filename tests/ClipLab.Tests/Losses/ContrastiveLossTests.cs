using Xunit;
using ClipLab.Losses;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Losses;

public sealed class ContrastiveLossTests
{
    [Fact]
    public void Compute_MatchesHandComputedValue()
    {
        using var scope = torch.NewDisposeScope();
        var image = torch.tensor(new double[] { 1, 0, 0, 1 }).view(2, 2);
        var text = torch.tensor(new double[] { 0.6, 0.8, 1, 0 }).view(2, 2);
        var logScale = torch.tensor(Math.Log(2.0));

        // scale = 2; similarities I·Tᵀ = [[0.6, 1.0], [0.8, 0.0]] → logits [[1.2, 2.0], [1.6, 0.0]].
        var imageToText = (-1.2 + Math.Log(Math.Exp(1.2) + Math.Exp(2.0)) + -0.0 + Math.Log(Math.Exp(1.6) + Math.Exp(0.0))) / 2;
        var textToImage = (-1.2 + Math.Log(Math.Exp(1.2) + Math.Exp(1.6)) + -0.0 + Math.Log(Math.Exp(2.0) + Math.Exp(0.0))) / 2;
        var expected = (imageToText + textToImage) / 2;

        var loss = ContrastiveLoss.Compute(image, text, logScale);
        Assert.Empty(loss.shape);
        Assert.Equal(expected, loss.item<double>(), 10);
    }

    [Fact]
    public void Compute_IsSymmetricInImageAndText()
    {
        torch.manual_seed(11);
        using var scope = torch.NewDisposeScope();
        var a = nn.functional.normalize(torch.randn(5, 8), dim: -1);
        var b = nn.functional.normalize(torch.randn(5, 8), dim: -1);
        var s = torch.tensor(2.5f);
        Assert.Equal(ContrastiveLoss.Compute(a, b, s).item<float>(), ContrastiveLoss.Compute(b, a, s).item<float>(), 5);
    }

    [Fact]
    public void Compute_IsDifferentiableWithRespectToAllInputs()
    {
        torch.manual_seed(12);
        using var scope = torch.NewDisposeScope();
        var a = torch.randn(4, 6).requires_grad_();
        var b = torch.randn(4, 6).requires_grad_();
        var s = torch.tensor(1.0f).requires_grad_();
        ContrastiveLoss.Compute(nn.functional.normalize(a, dim: -1), nn.functional.normalize(b, dim: -1), s).backward();
        foreach (var t in new[] { a, b, s })
        {
            Assert.NotNull(t.grad);
            Assert.True(t.grad!.abs().sum().item<float>() > 0);
        }
    }

    [Fact]
    public void Compute_PerfectAlignmentWithLargeScale_IsNearZero()
    {
        using var scope = torch.NewDisposeScope();
        var eye = torch.eye(3);
        Assert.True(ContrastiveLoss.Compute(eye, eye, torch.tensor((float)Math.Log(100))).item<float>() < 1e-3);
    }

    [Fact]
    public void Compute_MismatchedShapes_Throws()
    {
        using var scope = torch.NewDisposeScope();
        Assert.Throws<ArgumentException>(() => ContrastiveLoss.Compute(torch.zeros(2, 3), torch.zeros(3, 3), torch.tensor(0f)));
    }
}
