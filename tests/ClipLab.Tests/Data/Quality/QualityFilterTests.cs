using ClipLab.Data;
using ClipLab.Data.Quality;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Tests.Data.Sources;
using Xunit;

namespace ClipLab.Tests.Data.Quality;

public class QualityFilterTests
{
    /// <summary>Shards of <paramref name="samples"/> good samples and a score file giving sample i the score scores(i).</summary>
    private static ScoreFile ScoredShards(TempFolder temp, int samples, int perShard, Func<int, float> scores)
    {
        string pattern = QualityFixtures.WriteShards(temp.File("data"), samples, perShard, withBadSamples: false);
        var shards = ShardPattern.Expand(pattern);
        return new ScoreFile(Enumerable.Range(0, samples)
            .Select(i => new ScoredPair($"sample{i:D4}", shards[i / perShard], scores(i), $"caption {i}")).ToList());
    }

    private static Dictionary<string, ShardSampleMembers> MembersOf(string pattern) =>
        ShardPattern.Expand(pattern).SelectMany(ShardSampleMembers.Read).ToDictionary(s => s.Key);

    [Fact]
    public void TheTopFractionIsWrittenAsShardsWithTheOriginalMembers()
    {
        using var temp = new TempFolder();
        // Scores rise and fall across the shards so the kept samples come from several of them.
        var scores = ScoredShards(temp, samples: 23, perShard: 5, i => (float)Math.Sin(i * 1.3));
        var selection = QualitySelection.KeepTop(scores.Pairs, 0.4);
        Assert.Equal(9, selection.Rows.Count);

        var result = QualityFilter.Write(scores, selection, temp.File("top"), "scores.parquet", prefix: "top", perShard: 4);

        var expectedKeys = selection.Rows.Select(r => scores.Pairs[r].Key).ToList();
        var original = MembersOf(Path.Combine(temp.File("data"), "data-{00000..00004}.tar"));
        var written = MembersOf(result.Shards.Pattern);
        Assert.Equal(expectedKeys.Order(), written.Keys.Order());
        foreach (var (key, sample) in written)
        {
            var source = original[key];
            Assert.Equal(source.Members.Select(m => m.Extension).Order(), sample.Members.Select(m => m.Extension).Order());
            foreach (var (extension, data) in source.Members)
                Assert.Equal(data, sample.Members.Single(m => m.Extension == extension).Data);
        }
        // In data order, readable by the training source, counted by the manifest.
        var read = new WebDatasetSource(new WebDatasetOptions(result.Shards.Pattern)).Read(SourcePartition.All, 0, 0, new BadSampleCounter()).ToList();
        Assert.Equal(expectedKeys, read.Select(s => s.Key));
        Assert.Equal(9, result.Shards.Manifest.TotalSamples);
        Assert.Equal([4L, 4L, 1L], result.Shards.Manifest.Shards.Select(s => s.Samples));
        Assert.All(result.Shards.ShardPaths, p => Assert.StartsWith(temp.File("top"), p));
        string record = File.ReadAllText(result.SelectionPath);
        Assert.Contains("\"kept\": 9", record);
        Assert.Contains("\"total\": 23", record);
        Assert.Empty(Directory.GetDirectories(temp.Path, "top.partial-*"));
    }

    [Fact]
    public void TheThresholdModeKeepsExactlyThoseAtOrAboveIt()
    {
        using var temp = new TempFolder();
        var scores = ScoredShards(temp, samples: 12, perShard: 5, i => i / 10f);
        var selection = QualitySelection.KeepAtLeast(scores.Pairs, 0.7f);
        var result = QualityFilter.Write(scores, selection, temp.File("above"));
        var keys = MembersOf(result.Shards.Pattern).Keys.Order().ToList();
        Assert.Equal(Enumerable.Range(0, 12).Where(i => i / 10f >= 0.7f).Select(i => $"sample{i:D4}"), keys);
    }

    [Fact]
    public void ExistingOutputMissingShardsAndChangedShardsAreRefused()
    {
        using var temp = new TempFolder();
        var scores = ScoredShards(temp, samples: 6, perShard: 3, i => i);
        var all = QualitySelection.KeepTop(scores.Pairs, 1.0);

        Directory.CreateDirectory(temp.File("busy"));
        File.WriteAllText(Path.Combine(temp.File("busy"), "keep.txt"), "mine");
        var busy = Assert.Throws<IOException>(() => QualityFilter.Write(scores, all, temp.File("busy")));
        Assert.Contains("not empty", busy.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(temp.File("busy"), "keep.txt")));

        var moved = new ScoreFile(scores.Pairs.Select(p => p with { Shard = p.Shard + ".moved.tar" }).ToList());
        var missing = Assert.Throws<FileNotFoundException>(() => QualityFilter.Write(moved, all, temp.File("out1")));
        Assert.Contains("does not exist", missing.Message);

        var renamed = new ScoreFile(scores.Pairs.Select(p => p with { Key = p.Key == "sample0004" ? "sample9999" : p.Key }).ToList());
        var changed = Assert.Throws<InvalidDataException>(() => QualityFilter.Write(renamed, all, temp.File("out2")));
        Assert.Contains("changed since it was scored", changed.Message);
        Assert.False(Directory.Exists(temp.File("out2")));
        Assert.Empty(Directory.GetDirectories(temp.Path, "out2.partial-*"));

        var csv = new ScoreFile([new ScoredPair("000000001", "pairs.csv", 1f, "x")]);
        var notShards = Assert.Throws<InvalidDataException>(() => QualityFilter.Write(csv, QualitySelection.KeepTop(csv.Pairs, 1.0), temp.File("out3")));
        Assert.Contains("cliplab data shards --from pairs.csv", notShards.Message);
    }
}
