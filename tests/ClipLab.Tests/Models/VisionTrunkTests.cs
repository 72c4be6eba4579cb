using ClipLab.Models;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Models;

/// <summary>Every tower family splits its forward into the trunk features and the CLIP projection.</summary>
public class VisionTrunkTests
{
    /// <summary>The small registered towers (CPU sizes and the test family), one per name.</summary>
    public static TheoryData<string> SmallVisionNames() => new(ModelRegistry.Entries
        .Where(e => e.Kind == ModelKind.Vision && ((VisionTowerConfig)e.Config).ImageSize <= 64)
        .Select(e => e.Name));

    [Theory]
    [MemberData(nameof(SmallVisionNames))]
    public void ForwardIsTheProjectionOfTheTrunkFeatures_OfTheConfigsTrunkWidth(string name)
    {
        const int embedDim = 24;
        var config = ModelRegistry.GetVision(name);
        torch.manual_seed(3);
        using var tower = config.Build(embedDim);
        tower.eval();
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(2, config.Channels, config.ImageSize, config.ImageSize) * 2 - 1;

        var trunk = tower.EncodeTrunk(images);
        Assert.Equal(new long[] { 2, config.TrunkWidth }, trunk.shape);
        Assert.Equal(config.TrunkWidth, tower.TrunkDim);
        var projected = tower.Project(trunk);
        Assert.Equal(new long[] { 2, embedDim }, projected.shape);
        Assert.True(torch.allclose(projected, tower.call(images), rtol: 1e-5, atol: 1e-6));
        // The projection is one matrix of TrunkWidth × embedDim, as the compute accounting assumes.
        Assert.Equal(config.ProjectionMacs(embedDim), (double)config.TrunkWidth * embedDim);
    }

    [Fact]
    public void TheFamiliesTrunkWidthsAreTheirVisionWidths()
    {
        Assert.Equal(32, TinyModels.Vision().TrunkWidth);
        Assert.Equal(384, ((VisionTransformerConfig)ModelRegistry.GetVision("vit-s-16")).TrunkWidth);
        Assert.Equal(768, ModelRegistry.GetVision("vit-b-16").TrunkWidth);
        Assert.Equal(8, new TinyConvConfig().TrunkWidth);
    }
}
