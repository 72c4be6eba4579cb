using Xunit;
using ClipLab.Models;
using ClipLab.Models.Compute;
using TorchSharp;

namespace ClipLab.Tests.Models;

public sealed class ComputeCostTests
{
    public static TheoryData<string> VisionNames() => new(ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Vision).Select(e => e.Name));

    public static TheoryData<string> TextNames() => new(ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Text).Select(e => e.Name));

    /// <summary>
    /// timm's results tables at 224 px (GMACs; parameters minus the 1000-class classifier head).
    /// </summary>
    [Theory]
    [InlineData("vit-ti-16", 1.26, 5.53e6)]
    [InlineData("vit-s-16", 4.61, 21.67e6)]
    [InlineData("vit-b-32", 4.41, 87.46e6)]
    [InlineData("vit-b-16", 17.58, 85.80e6)]
    [InlineData("vit-l-16", 61.6, 303.30e6)]
    public void Cost_MatchesPublishedFigures(string name, double publishedGMacs, double publishedTrunkParameters)
    {
        var config = ModelRegistry.GetVision(name);
        Assert.Equal(224, config.ImageSize);
        var cost = config.Cost(embedDim: 512);
        Assert.InRange(cost.TrunkMacs / 1e9, publishedGMacs * 0.97, publishedGMacs * 1.03);
        Assert.InRange(cost.TrunkParameters, publishedTrunkParameters * 0.99, publishedTrunkParameters * 1.01);
    }

    [Theory]
    [MemberData(nameof(VisionNames))]
    public void VisionCost_EqualsBuiltParameters_AndMeasuredMacsWithin5Percent(string name)
    {
        const int embedDim = 64;
        var config = ModelRegistry.GetVision(name);
        var analytic = config.Cost(embedDim);
        torch.manual_seed(0);
        using var tower = config.Build(embedDim);
        Assert.Equal(analytic.Parameters, tower.parameters().Sum(p => p.numel()));
        tower.eval();
        using var images = torch.zeros(2, config.Channels, config.ImageSize, config.ImageSize);
        var measured = MacCounter.MeasureForward(tower, images);
        Assert.InRange(measured, analytic.Macs * 0.95, analytic.Macs * 1.05);
    }

    [Theory]
    [MemberData(nameof(TextNames))]
    public void TextCost_EqualsBuiltParameters_AndMeasuredMacsWithin5Percent(string name)
    {
        const int embedDim = 64;
        var config = ModelRegistry.GetText(name);
        var analytic = config.Cost(embedDim);
        torch.manual_seed(0);
        using var tower = new TextTransformer(config, embedDim);
        Assert.Equal(analytic.Parameters, tower.parameters().Sum(p => p.numel()));
        using var tokens = torch.full(2, config.ContextLength, config.EndOfTextId, dtype: torch.ScalarType.Int64);
        var measured = MacCounter.MeasureForward(tower, tokens);
        Assert.InRange(measured, analytic.Macs * 0.95, analytic.Macs * 1.05);
    }

    [Fact]
    public void VitCost_WithFewerKeptPatches_DropsBlockMacsOnly()
    {
        var config = (VisionTransformerConfig)ModelRegistry.GetVision("vit-b-16");
        var full = config.Cost(512);
        var half = config.Cost(512, config.NumPatches / 2);
        Assert.Equal(full.Parameters, half.Parameters);
        // Linear parts scale with tokens (197 -> 99), attention with tokens squared, the patch embedding not at all.
        Assert.InRange(half.Macs / full.Macs, 0.45, 0.52);
    }

    [Fact]
    public void MacCounter_CountsLinearConvAndMatmulFromShapes()
    {
        using var linear = torch.nn.Linear(8, 5);
        Assert.Equal(8 * 5, MacCounter.MeasureForward(linear, torch.zeros(3, 8)));
        using var conv = torch.nn.Conv2d(4, 6, 3, padding: 1, groups: 2);
        // Output 6 × 10 × 10, each element (4 / 2) × 3 × 3 MACs.
        Assert.Equal(6 * 10 * 10 * 2 * 9, MacCounter.MeasureForward(conv, torch.zeros(2, 4, 10, 10)));
        using (var counter = MacCounter.Attach(linear))
        {
            MacCounter.RecordMatmul(torch.zeros(2, 3, 4), torch.zeros(4, 7));
            Assert.Equal(2 * 3 * 4 * 7, counter.Total);
            Assert.Throws<InvalidOperationException>(() => MacCounter.Attach(linear));
        }

        MacCounter.RecordMatmul(torch.zeros(3, 4), torch.zeros(4, 7)); // no active counter: ignored
    }

    [Fact]
    public void TrainingFlops_IsThreeForwardPassesOfBothTowers()
    {
        var config = ModelRegistry.GetClip("clip-vit-b-16");
        var image = config.Vision.Cost(config.EmbedDim);
        var text = config.Text.Cost(config.EmbedDim);
        Assert.Equal(6 * (image.Macs + text.Macs), TrainingCompute.FlopsPerSample(config), 6);
        Assert.Equal(6 * (3 * image.Macs + text.Macs), TrainingCompute.FlopsPerSample(image, text, imagePasses: 3), 6);
    }
}
