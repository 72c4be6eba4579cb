using ClipLab.Models;
using ClipLab.Models.Compute;
using Xunit;

namespace ClipLab.Tests.Models;

public class ModelCostSummaryTests
{
    public static TheoryData<string> CpuClipNames() => new(ModelRegistry.Entries
        .Where(e => e.Kind == ModelKind.Clip && ((ClipModelConfig)e.Config).Vision.ImageSize <= 64).Select(e => e.Name));

    [Fact]
    public void EveryRegistryEntryIsSummarisedOnceWithItsKindAndInputs()
    {
        var rows = ModelCostSummary.ForRegistry();
        Assert.Equal(ModelRegistry.Entries.Select(e => e.Name), rows.Select(r => r.Name));
        foreach (var r in rows)
        {
            Assert.True(r.Parameters > 0 && r.GMacs > 0, r.Name);
            switch (r.Kind)
            {
                case "vision": Assert.True(r.ImageSize > 0 && r.ContextLength is null && r.TrainingGflopsPerSample is null, r.Name); break;
                case "text": Assert.True(r.ImageSize is null && r.ContextLength > 0 && r.TrainingGflopsPerSample is null, r.Name); break;
                case "clip": Assert.True(r.ImageSize > 0 && r.ContextLength > 0 && r.TrainingGflopsPerSample > 0, r.Name); break;
                default: Assert.Fail($"{r.Name} has kind {r.Kind}"); break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(CpuClipNames))]
    public void ClipRowCountsEveryParameterOfTheBuiltModelAndThreeForwardPasses(string name)
    {
        var row = ModelCostSummary.Of(ModelRegistry.Entries.Single(e => e.Kind == ModelKind.Clip && e.Name == name));
        using var model = ModelRegistry.Create(name);
        Assert.Equal(model.parameters().Sum(p => p.numel()), row.Parameters);
        Assert.Equal(6 * row.GMacs, row.TrainingGflopsPerSample!.Value, 9);
    }

    [Fact]
    public void TowerRowsAreTrunksAndClipRowsAddBothTowersWithHeads()
    {
        var clip = ModelRegistry.GetClip("clip-vit-b-16");
        var rows = ModelCostSummary.ForRegistry().ToDictionary(r => (r.Kind, r.Name));
        var vision = rows[("vision", "vit-b-16")];
        var text = rows[("text", "text-b")];
        var whole = rows[("clip", "clip-vit-b-16")];
        // ViT-B/16 trunk as timm reports it: 85.8M parameters, 17.58 GMACs.
        Assert.InRange(vision.Parameters / 85.80e6, 0.99, 1.01);
        Assert.InRange(vision.GMacs / 17.58, 0.97, 1.03);
        var visionCost = clip.Vision.Cost(clip.EmbedDim);
        var textCost = clip.Text.Cost(clip.EmbedDim);
        Assert.Equal(visionCost.TrunkParameters, vision.Parameters);
        Assert.Equal(textCost.TrunkParameters, text.Parameters);
        Assert.Equal(visionCost.Parameters + textCost.Parameters + 1, whole.Parameters);
        Assert.Equal((visionCost.Macs + textCost.Macs) / 1e9, whole.GMacs, 9);
    }
}
