using Xunit;
using ClipLab.Models;
using TorchSharp;

namespace ClipLab.Tests.Models;

/// <summary>Checks every vision tower family must pass, shared so each family's tests state them the same way.</summary>
internal static class VisionTowerChecks
{
    /// <summary>
    /// Builds <paramref name="config"/>, runs forward and backward on a batch of random images and asserts the output is
    /// [batch, embedDim], finite, and that every parameter received a non-zero gradient.
    /// </summary>
    public static void ForwardBackwardReachesEveryParameter(VisionTowerConfig config, int embedDim = 16, int batch = 3)
    {
        torch.manual_seed(7);
        using var tower = config.Build(embedDim);
        tower.train();
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(batch, config.Channels, config.ImageSize, config.ImageSize) * 2 - 1;
        var output = tower.call(images);
        Assert.Equal(new long[] { batch, embedDim }, output.shape);
        Assert.Equal(embedDim, tower.OutputDim);
        Assert.True(output.isfinite().all().ToBoolean());
        // A loss that depends on every output (and on their spread, so normalisation layers get gradients too).
        output.pow(2).sum().backward();
        foreach (var (name, parameter) in tower.named_parameters())
        {
            var grad = parameter.grad;
            Assert.True(grad is not null, $"parameter '{name}' received no gradient");
            Assert.True(grad!.abs().sum().ToDouble() > 0, $"parameter '{name}' received an all-zero gradient");
        }
    }
}
