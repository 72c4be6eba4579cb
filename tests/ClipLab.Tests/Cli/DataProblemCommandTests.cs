using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

/// <summary>Bad data and bad inputs, through the real CLI in a child process: one line, exit 2, nothing lost, nothing left behind.</summary>
public class DataProblemCommandTests
{
    private static RunConfig StreamConfig(string shards, int checkpointEvery = 100) => TinyRuns.Config(64 * 30, checkpointEvery) with
    {
        Data = new DataConfig
        {
            Dataset = "stream", Sources = new SourceConfig[] { new WebDatasetSourceConfig { Shards = shards } },
            Workers = 1, ShuffleBuffer = 0, PrefetchBatches = 1,
        },
        Evaluation = new EvaluationConfig { ZeroShot = false, Retrieval = false },
    };

    private static void AssertOneErrorLine(string output)
    {
        var errors = output.Split('\n').Where(l => l.StartsWith("error:", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 1, output);
        Assert.DoesNotContain("   at ", output);
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public void TooMuchBadDataIsACleanErrorNamingTheWorstShardAndTheLastCheckpointStaysUsable()
    {
        string dir = TinyRuns.TempDirectory();
        var samples = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false).Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0)).Take(512);
        var shards = ShardWriter.WriteAll(samples, dir, "fm", perShard: 64);
        var config = StreamConfig(shards.Pattern, checkpointEvery: 2);
        // Cut the shard the single reader meets last in epoch 0, so that checkpoints are written before the loss is found.
        string last = new WebDatasetSource(new WebDatasetOptions(shards.Pattern) { ShuffleShards = true })
            .ShardsOf(SourcePartition.All, 0, (ulong)config.Training.Seed)[^1];
        byte[] whole = File.ReadAllBytes(last);
        File.WriteAllBytes(last, whole[..(whole.Length / 2)]);
        string configPath = Path.Combine(dir, "run.json"), run = Path.Combine(dir, "run");
        ConfigJson.Save(config, configPath);

        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run);
        Assert.True(code == 2, output);
        AssertOneErrorLine(output);
        Assert.Contains("more than the tolerated 1.0% (data.maxBadFraction)", output);
        Assert.Contains($"Worst files: {last}: ", output);
        Assert.Contains("truncated tar shard", output);
        Assert.Contains($"--resume {run}", output);
        Assert.False(File.Exists(Path.Combine(run, TrainingRun.ResultsFile)));
        string checkpoint = Checkpoint.FindLatest(run)!;
        Assert.NotNull(checkpoint);
        Assert.Contains(checkpoint, output);
        Assert.True(Checkpoint.LoadState(checkpoint).Step >= 2);

        // The data repaired, the run continues from that checkpoint to the end.
        File.WriteAllBytes(last, whole);
        (code, output) = CliProcess.Run("train", "--resume", run);
        Assert.True(code == 0, output);
        Assert.True(File.Exists(Path.Combine(run, TrainingRun.ResultsFile)));
    }

    [Fact]
    public void MissingShardsAreNamedWithTheirKeyBeforeAnyRunFolderExists()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "run.json"), run = Path.Combine(dir, "run");
        ConfigJson.Save(StreamConfig(Path.Combine(dir, "gone-{00000..00009}.tar")), configPath);
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run);
        Assert.True(code == 2, output);
        AssertOneErrorLine(output);
        Assert.Contains("'data.sources[0].shards' names 10 of 10 shard file(s) that do not exist", output);
        Assert.Contains(Path.Combine(dir, "gone-00000.tar"), output);
        Assert.DoesNotContain("Training:", output);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void AMissingCsvIsNamedWithItsKeyBeforeAnyRunFolderExists()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "run.json"), run = Path.Combine(dir, "run");
        ConfigJson.Save(StreamConfig("unused") with
        {
            Data = new DataConfig { Dataset = "stream", Sources = new SourceConfig[] { new CsvSourceConfig { Path = Path.Combine(dir, "pairs.tsv") } } },
        }, configPath);
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run);
        Assert.True(code == 2, output);
        AssertOneErrorLine(output);
        Assert.Contains($"'data.sources[0].path': CSV/TSV file not found: {Path.Combine(dir, "pairs.tsv")}", output);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void AValueOfTheWrongKindNamesItsKeyAndTheExpectedKindAndNoRunFolderIsMade()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "run.json"), run = Path.Combine(dir, "run");
        File.WriteAllText(configPath, "{ \"training\": { \"batchSize\": \"big\" } }");
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run);
        Assert.True(code == 2, output);
        AssertOneErrorLine(output);
        Assert.Contains("'training.batchSize' must be an integer, got \"big\"", output);
        Assert.DoesNotContain("System.Int32", output);
        Assert.False(Directory.Exists(run));
    }

    [Fact]
    public void AMissingTokenizerIsNamedWithItsKeyAndNoRunFolderIsMade()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "run.json"), run = Path.Combine(dir, "run");
        ConfigJson.Save(TinyRuns.Config() with { Tokenizer = new TokenizerConfig { Path = Path.Combine(dir, "none.model") } }, configPath);
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run);
        Assert.True(code == 2, output);
        AssertOneErrorLine(output);
        Assert.Contains("tokenizer.path", output);
        Assert.Contains(Path.Combine(dir, "none.model"), output);
        Assert.False(Directory.Exists(run));
    }
}
