using Xunit;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

public sealed class VisionTransformerTests
{
    [Theory]
    [InlineData("token")]
    [InlineData("mean")]
    public void Forward_ReturnsBatchByEmbedDim(string pool)
    {
        torch.manual_seed(1);
        using var vit = new VisionTransformer(TinyModels.Vision(pool), embedDim: 24);
        using var scope = torch.NewDisposeScope();
        var output = vit.call(torch.rand(5, 3, 16, 16) * 2 - 1);
        Assert.Equal(new long[] { 5, 24 }, output.shape);
        Assert.Equal(24, vit.OutputDim);
        Assert.Equal(16, vit.NumPatches);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("mean")]
    public void ForwardBackward_GradientsReachEveryParameter(string pool)
        => VisionTowerChecks.ForwardBackwardReachesEveryParameter(TinyModels.Vision(pool));

    [Fact]
    public void Forward_WrongImageSize_Throws()
    {
        using var vit = new VisionTransformer(TinyModels.Vision(), 24);
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => vit.call(torch.rand(1, 3, 32, 32)));
        Assert.Contains("[B, 3, 16, 16]", ex.Message);
    }

    [Fact]
    public void KeepIndices_Subset_ReturnsBatchByEmbedDim()
    {
        torch.manual_seed(2);
        using var vit = new VisionTransformer(TinyModels.Vision(), 24);
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(3, 3, 16, 16);
        var keep = torch.stack(Enumerable.Range(0, 3).Select(_ => torch.randperm(16).narrow(0, 0, 5)));
        var output = vit.Forward(images, keep);
        Assert.Equal(new long[] { 3, 24 }, output.shape);
        Assert.False(torch.allclose(output, vit.call(images), rtol: 1e-4, atol: 1e-5));
    }

    [Theory]
    [InlineData("token")]
    [InlineData("mean")]
    public void KeepIndices_AllPatches_EqualsPlainForward(string pool)
    {
        torch.manual_seed(3);
        using var vit = new VisionTransformer(TinyModels.Vision(pool), 24);
        vit.eval();
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(2, 3, 16, 16);
        var all = torch.arange(16, dtype: ScalarType.Int64).unsqueeze(0).expand(2, 16);
        Assert.True(torch.allclose(vit.Forward(images, all), vit.call(images), rtol: 1e-5, atol: 1e-6));
    }

    [Fact]
    public void KeepIndices_PermutedPatches_EqualsPlainForward()
    {
        // Attention is permutation-equivariant, so a shuffled full set only matches if positions were added before gathering.
        torch.manual_seed(4);
        using var vit = new VisionTransformer(TinyModels.Vision(), 24);
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(2, 3, 16, 16);
        var shuffled = torch.stack([torch.randperm(16), torch.randperm(16)]);
        Assert.True(torch.allclose(vit.Forward(images, shuffled), vit.call(images), rtol: 1e-4, atol: 1e-5));
    }
}
