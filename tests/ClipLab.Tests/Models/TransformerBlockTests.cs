using Xunit;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

public sealed class TransformerBlockTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void LaterToken_AffectsEarlierPositions_OnlyWhenNotCausal(bool causal)
    {
        torch.manual_seed(10);
        using var block = new TransformerBlock(width: 16, heads: 2, mlpRatio: 4, causal: causal);
        block.InitializeParameters(depth: 1);
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(2, 6, 16);
        var perturbed = x.clone();
        perturbed[.., 5] = torch.randn(2, 16);

        var before = block.call(x);
        var after = block.call(perturbed);
        Assert.Equal(x.shape, before.shape);
        var earlierUnchanged = torch.allclose(before[.., ..5], after[.., ..5], rtol: 1e-5, atol: 1e-6);
        Assert.Equal(causal, earlierUnchanged);
        Assert.False(torch.allclose(before[.., 5], after[.., 5]));
    }
}
