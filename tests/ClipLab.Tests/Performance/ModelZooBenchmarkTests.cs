using System.Text.Json;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Performance;
using ClipLab.Tests.Cli;
using Xunit;

namespace ClipLab.Tests.Performance;

public sealed class ModelZooBenchmarkTests
{
    [Fact]
    public void DefaultModels_AreTheCheapestSmallModelOfEveryFamily()
    {
        // Built-in only: other tests register models (an example family, a model from a file) in the same process.
        var clips = ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Clip && e.BuiltIn).Select(e => (e.Name, Config: (ClipModelConfig)e.Config)).ToList();
        var defaults = ModelZooBenchmark.DefaultModels();
        var families = clips.Where(c => c.Config.Vision.ImageSize <= 64).Select(c => c.Config.Vision.Family).Distinct().ToList();
        Assert.Equal(families.Count, defaults.Count);
        Assert.Equal(families.Order(), defaults.Select(d => ModelRegistry.GetClip(d).Vision.Family).Order());
        Assert.Contains("clip-vit-nano-p8-32", defaults);
        foreach (var name in defaults)
        {
            var chosen = ModelRegistry.GetClip(name);
            Assert.All(clips.Where(c => c.Config.Vision.Family == chosen.Vision.Family && c.Config.Vision.ImageSize <= 64),
                c => Assert.True(TrainingCompute.FlopsPerSample(c.Config) >= TrainingCompute.FlopsPerSample(chosen)));
        }
    }

    [Fact]
    public void Family_IsTheJsonTypeDiscriminator()
    {
        Assert.Equal("vit", ModelRegistry.GetVision("vit-b-16").Family);
        var json = JsonSerializer.Serialize<VisionTowerConfig>(ModelRegistry.GetVision("vit-b-16"));
        Assert.Contains("\"type\":\"vit\"", json);
        Assert.DoesNotContain("Family", json);
    }

    [Fact]
    public void BenchZoo_TrainsAndReportsEachModel()
    {
        string work = Path.Combine(Path.GetTempPath(), "cliplab-tests", "bench-zoo-" + Guid.NewGuid().ToString("N"));
        string json = Path.Combine(work, "zoo.json");
        var (code, output) = CliProcess.Run("bench", "zoo", "--model", "clip-vit-nano-p8-32", "--samples-seen", "512",
            "--work", work, "--json", json);
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var row = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("vit", row.GetProperty("Family").GetString());
        Assert.Equal(512, row.GetProperty("SamplesSeen").GetInt64());
        Assert.InRange(row.GetProperty("ZeroShotTop1").GetDouble(), 0.0, 1.0);
        Assert.True(row.GetProperty("SamplesPerSecond").GetDouble() > 0);
        Assert.True(File.Exists(Path.Combine(work, "clip-vit-nano-p8-32", "results.json")));

        (code, output) = CliProcess.Run("bench", "zoo", "--model", "clip-nope", "--work", work);
        Assert.NotEqual(0, code);
        Assert.Contains("clip-vit-nano-p8-32", output); // the error lists the valid names
    }
}
