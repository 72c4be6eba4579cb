using ClipLab.Data;
using ClipLab.Data.WebDataset;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Imaging;
using Xunit;

namespace ClipLab.Tests.Evaluation;

public class EmojiBenchmarkTests
{
    private static RawSample Emoji(string key, string group, string subgroup, byte shade) =>
        new(key, "png", ImageEncoder.EncodePng(RgbImage.Filled(24, 24, new RgbColor(shade, 200, 30))), key,
            $$"""{"source":"emoji","name":"{{key}}","group":"{{group}}","subgroup":"{{subgroup}}"}""");

    [Fact]
    public void GroupsAndSubgroupsBecomeClassesInOrderOfAppearanceSharingOneImageSet()
    {
        string folder = TinyRuns.TempDirectory();
        ShardWriter.WriteAll(
        [
            Emoji("grinning", "Smileys & Emotion", "face-smiling", 10),
            Emoji("dog", "Animals & Nature", "animal-mammal", 60),
            Emoji("joy", "Smileys & Emotion", "face-smiling", 110),
            Emoji("rose", "Animals & Nature", "plant-flower", 160),
        ], folder, "emoji", perShard: 3);

        var benchmarks = EmojiBenchmark.TryCreate(folder, imageSize: 16, channels: 3, out string reason);

        Assert.NotNull(benchmarks);
        Assert.Equal("", reason);
        var (group, subgroup) = benchmarks.Value;
        Assert.Equal(["smileys and emotion", "animals and nature"], group.Prompts.ClassNames);
        Assert.Equal([0, 1, 0, 1], group.Test.Labels);
        Assert.Equal(["face smiling", "animal mammal", "plant flower"], subgroup.Prompts.ClassNames);
        Assert.Equal([0, 1, 0, 2], subgroup.Test.Labels);
        Assert.Equal(group.Test.CacheKey, subgroup.Test.CacheKey); // the pixels are embedded once
        Assert.Equal(group.Test.Recipe, subgroup.Test.Recipe);
        Assert.Contains("an emoji of {}.", group.Prompts.Templates);
        using var images = group.Test.LoadImages();
        Assert.Equal(new long[] { 4, 3, 16, 16 }, images.shape);
    }

    [Fact]
    public void MissingShardsAreSkippedWithTheCommandThatBuildsThem()
    {
        string folder = Path.Combine(TinyRuns.TempDirectory(), "emoji");
        Assert.Null(EmojiBenchmark.TryCreate(folder, 16, 3, out string reason));
        Assert.Contains("./cliplab data import emoji --out " + folder, reason);
    }
}
