using ClipLab.Data.Quality;
using ClipLab.Tests.Data.Sources;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace ClipLab.Tests.Data.Quality;

public class ScoreFileTests
{
    [Fact]
    public void RowsAndMetadataRoundTrip()
    {
        using var temp = new TempFolder();
        var pairs = new List<ScoredPair>
        {
            new("s0001", "/data/a-00000.tar", 0.25f, "a red square"),
            new("s0002", "/data/a-00000.tar", -0.125f, "ein Würfel, 立方体 — ünïcödé"),
            new("s0003", "/data/a-00001.tar", float.NaN, ""),
            new("s0004", "/data/a-00001.tar", 1f, "last"),
        };
        var metadata = new Dictionary<string, string> { ["cliplab.scoring"] = "{\"x\":1}", ["other"] = "y" };
        string path = temp.File("scores.parquet");
        new ScoreFile(pairs, metadata).Write(path);

        var read = ScoreFile.Read(path);
        Assert.Equal(pairs.Count, read.Pairs.Count);
        for (int i = 0; i < pairs.Count; i++)
        {
            Assert.Equal(pairs[i].Key, read.Pairs[i].Key);
            Assert.Equal(pairs[i].Shard, read.Pairs[i].Shard);
            Assert.Equal(pairs[i].Caption, read.Pairs[i].Caption);
            Assert.Equal(pairs[i].Score, read.Pairs[i].Score); // NaN equals NaN for float.Equals
        }
        Assert.Equal("{\"x\":1}", read.Metadata["cliplab.scoring"]);
        Assert.Equal("y", read.Metadata["other"]);
        Assert.Empty(Directory.GetFiles(temp.Path, "*.tmp"));
    }

    [Fact]
    public void AnEmptyTableRoundTrips()
    {
        using var temp = new TempFolder();
        string path = temp.File("empty.parquet");
        new ScoreFile([]).Write(path);
        Assert.Empty(ScoreFile.Read(path).Pairs);
    }

    [Fact]
    public async Task FilesFromOtherToolsWithDoubleScoresAndNoCaptionAreRead()
    {
        using var temp = new TempFolder();
        string path = temp.File("external.parquet");
        var key = new DataField<string>("key");
        var shard = new DataField<string>("shard");
        var score = new DataField<double?>("score");
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(key, shard, score), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(key, new[] { "a", "b" });
            await group.WriteAsync(shard, new[] { "x.tar", "x.tar" });
            await group.WriteAsync<double>(score, new double?[] { 0.5, null }.AsMemory());
        }
        var read = ScoreFile.Read(path);
        Assert.Equal(["a", "b"], read.Pairs.Select(p => p.Key));
        Assert.Equal(0.5f, read.Pairs[0].Score);
        Assert.True(float.IsNaN(read.Pairs[1].Score));
        Assert.All(read.Pairs, p => Assert.Equal("", p.Caption));
    }

    [Fact]
    public async Task MissingColumnsAndNonParquetFilesAreNamed()
    {
        using var temp = new TempFolder();
        string path = temp.File("no-score.parquet");
        var key = new DataField<string>("key");
        await using (var stream = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(key), stream);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(key, new[] { "a" });
        }
        var missing = Assert.Throws<InvalidDataException>(() => ScoreFile.Read(path));
        Assert.Contains("no 'shard' column", missing.Message);
        Assert.Contains("'key'", missing.Message);

        File.WriteAllText(temp.File("text.parquet"), "key,shard,score\n");
        var notParquet = Assert.Throws<InvalidDataException>(() => ScoreFile.Read(temp.File("text.parquet")));
        Assert.Contains("not a readable Parquet score file", notParquet.Message);
        var absent = Assert.Throws<FileNotFoundException>(() => ScoreFile.Read(temp.File("absent.parquet")));
        Assert.Contains("cliplab data score", absent.Message);
    }
}
