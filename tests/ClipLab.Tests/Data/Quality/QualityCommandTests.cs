using ClipLab.Data.Quality;
using ClipLab.Data.WebDataset;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Data.Quality;

/// <summary><c>cliplab data score</c> and <c>cliplab data filter</c> through the real CLI process.</summary>
public class QualityCommandTests
{
    [Fact]
    public void ScoreThenFilterTheTopFractionEndToEnd()
    {
        string root = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 2), Path.Combine(root, "run"))) trainer.Run();
        string pattern = QualityFixtures.WriteShards(Path.Combine(root, "data"), samples: 10, perShard: 4);
        string scores = Path.Combine(root, "scores.parquet");

        var (code, text) = CliProcess.Run("data", "score", "--model", Path.Combine(root, "run"), "--data", pattern, "--out", scores, "--batch-size", "3");
        Assert.True(code == 0, text);
        Assert.Contains("Scored 8 pairs", text);
        Assert.Contains("corrupt image: 1, empty caption: 1", text);
        var file = ScoreFile.Read(scores);
        Assert.Equal(8, file.Pairs.Count);
        Assert.Contains("step-00000002", file.Metadata[ScoringIdentity.MetadataKey]);

        (code, text) = CliProcess.Run("data", "score", "--model", Path.Combine(root, "run"), "--data", pattern, "--out", scores, "--batch-size", "3");
        Assert.True(code == 0, text);
        Assert.Contains("nothing to do", text);

        (code, text) = CliProcess.Run("data", "filter", "--scores", scores, "--keep-top", "40%", "--out", Path.Combine(root, "top"));
        Assert.True(code == 0, text);
        Assert.Contains("Kept 3 of 8 scored pairs", text); // round(0.4 × 8) = 3
        Assert.Contains("score cut", text);
        Assert.Equal(3, ShardManifest.Load(Path.Combine(root, "top", ShardManifest.FileName)).TotalSamples);
    }

    [Fact]
    public void AMissingCheckpointNamesTheFolderAndWhatToPass()
    {
        string root = TinyRuns.TempDirectory();
        string pattern = QualityFixtures.WriteShards(Path.Combine(root, "data"), samples: 2, perShard: 2);
        var (code, text) = CliProcess.Run("data", "score", "--model", Path.Combine(root, "no-such-run"), "--data", pattern, "--out", Path.Combine(root, "s.parquet"));
        Assert.Equal(2, code);
        Assert.Contains("no-such-run: no such folder", text);
        Assert.Contains("run folder (written by `cliplab train` or `cliplab demo`)", text);

        Directory.CreateDirectory(Path.Combine(root, "empty-run"));
        (code, text) = CliProcess.Run("data", "score", "--model", Path.Combine(root, "empty-run"), "--data", pattern, "--out", Path.Combine(root, "s.parquet"));
        Assert.Equal(2, code);
        Assert.Contains("holds no checkpoint", text);
        Assert.Contains("checkpoints/step-*", text);
        Assert.DoesNotContain("   at ", text); // a message, not a stack trace
    }

    [Fact]
    public void BadFilterArgumentsNameTheProblemAndTheFix()
    {
        string root = TinyRuns.TempDirectory();
        string scores = Path.Combine(root, "scores.parquet");
        new ScoreFile([new ScoredPair("k", "x.tar", 0.5f, "c")]).Write(scores);

        var (code, text) = CliProcess.Run("data", "filter", "--scores", scores, "--keep-top", "40", "--out", Path.Combine(root, "out"));
        Assert.Equal(2, code);
        Assert.Contains("--keep-top 40 is not a fraction in (0, 1]", text);
        Assert.Contains("pass --keep-top 0.4", text);

        (code, text) = CliProcess.Run("data", "filter", "--scores", scores, "--keep-top", "0", "--out", Path.Combine(root, "out"));
        Assert.Equal(2, code);
        Assert.Contains("out of range", text);

        (code, text) = CliProcess.Run("data", "filter", "--scores", scores, "--keep-top", "0.4", "--min-score", "0.2", "--out", Path.Combine(root, "out"));
        Assert.Equal(2, code);
        Assert.Contains("not both", text);

        (code, text) = CliProcess.Run("data", "filter", "--scores", scores, "--out", Path.Combine(root, "out"));
        Assert.Equal(2, code);
        Assert.Contains("--keep-top FRACTION", text);

        (code, text) = CliProcess.Run("data", "filter", "--scores", Path.Combine(root, "absent.parquet"), "--keep-top", "0.4", "--out", Path.Combine(root, "out"));
        Assert.Equal(2, code);
        Assert.Contains("cliplab data score", text);
        Assert.False(Directory.Exists(Path.Combine(root, "out")));
    }
}
