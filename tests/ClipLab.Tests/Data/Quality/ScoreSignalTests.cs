using System.Text.RegularExpressions;
using ClipLab.Data.Quality;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Data.Quality;

/// <summary>
/// Real SIGINT and SIGTERM sent to a real <c>cliplab data score</c> child: it stops after the batch under way, keeps
/// the finished shards, says so in one line, and the same command run again finishes with the uninterrupted scores.
/// </summary>
public class ScoreSignalTests
{
    // Enough small shards, scored in small batches, that the run lasts seconds: a signal lands mid-run.
    private const int Shards = 24;
    private const int PerShard = 40;
    private const string BatchSize = "2";

    // A scorer, the shards and one uninterrupted run's scores, shared by the SIGINT and SIGTERM cases.
    private static readonly Lazy<(string Model, string Pattern, ScoreFile Scores)> Reference = new(() =>
    {
        string root = TinyRuns.TempDirectory();
        string model = Path.Combine(root, "run");
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 2), model)) trainer.Run();
        string pattern = QualityFixtures.WriteShards(Path.Combine(root, "data"), samples: Shards * PerShard, perShard: PerShard);
        string scores = Path.Combine(root, "reference.parquet");
        var (code, output) = CliProcess.Run("data", "score", "--model", model, "--data", pattern, "--out", scores, "--batch-size", BatchSize);
        Assert.True(code == 0, output);
        return (model, pattern, ScoreFile.Read(scores));
    });

    [Theory]
    [InlineData(SignalledCli.SigInt, 130)]
    [InlineData(SignalledCli.SigTerm, 143)]
    public void ScoreStoppedByASignalKeepsFinishedShardsAndTheRerunGivesTheUninterruptedScores(int signal, int expectedExitCode)
    {
        var (model, pattern, expected) = Reference.Value;
        string scores = Path.Combine(TinyRuns.TempDirectory(), "scores.parquet");
        var parts = new ScorePartsFolder(scores);
        string[] Saved() => parts.Exists ? Directory.GetFiles(parts.FolderPath, "part-*.parquet") : [];
        string[] command = ["data", "score", "--model", model, "--data", pattern, "--out", scores, "--batch-size", BatchSize];

        int savedAtSignal, code;
        string output;
        using (var cli = new SignalledCli(command))
        {
            Assert.True(cli.WaitUntil(() => Saved().Length >= 1, TimeSpan.FromMinutes(3)), "no shard was ever saved:\n" + cli.Output);
            savedAtSignal = Saved().Length;
            cli.Send(signal);
            (code, output) = cli.WaitForExit(TimeSpan.FromMinutes(2));
        }
        Assert.True(code == expectedExitCode, $"exit code {code}:\n{output}");
        Assert.DoesNotContain("   at ", output); // a message, not a stack trace
        var stopped = Regex.Matches(output, @"Stopped\. (\d+) of (\d+) part\(s\) are saved in (\S+); run the same command again to continue\.");
        Assert.True(stopped.Count == 1, output);
        int saved = int.Parse(stopped[0].Groups[1].Value);
        Assert.Equal(Shards, int.Parse(stopped[0].Groups[2].Value));
        Assert.Equal(parts.FolderPath, stopped[0].Groups[3].Value);
        Assert.InRange(saved, savedAtSignal, Shards - 1); // it kept what it had, and stopped before the end
        Assert.Equal(saved, Saved().Length);
        Assert.False(File.Exists(scores)); // no merged file from a stopped run
        Assert.Empty(Directory.GetFiles(parts.FolderPath, ".*.tmp")); // no half-written part

        // Every saved part is whole and holds exactly its shard's rows of the uninterrupted run.
        foreach (string part in Saved())
        {
            var rows = ScoreFile.Read(part).Pairs;
            Assert.NotEmpty(rows);
            Assert.Equal(expected.Pairs.Where(p => p.Shard == rows[0].Shard), rows);
        }

        (code, output) = CliProcess.Run(command);
        Assert.True(code == 0, output);
        // Spectre wraps long lines at the console width when output is redirected: compare with spaces for breaks.
        Assert.Contains($"{saved} of {Shards} part(s) resumed from an earlier run", Regex.Replace(output, @"\s+", " "));
        Assert.False(parts.Exists); // removed once the merged file is in place
        var resumed = ScoreFile.Read(scores);
        Assert.Equal(expected.Pairs.Count, resumed.Pairs.Count);
        Assert.Equal(expected.Pairs, resumed.Pairs); // same rows, same scores, same order
        Assert.Equal(expected.Metadata[PairScorer.SkippedMetadataKey], resumed.Metadata[PairScorer.SkippedMetadataKey]);
        Assert.Equal(expected.Metadata[ScoringIdentity.MetadataKey], resumed.Metadata[ScoringIdentity.MetadataKey]);
    }
}
