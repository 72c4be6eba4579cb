using System.Text.Json;
using System.Text.RegularExpressions;
using ClipLab.Configuration;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Suites;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

/// <summary>Real SIGINT and SIGTERM sent to a real CLI child: it stops cleanly, keeps its work, and the next run resumes.</summary>
public class SignalTests
{
    private const int Steps = 400;

    // One uninterrupted run of the config, shared by the SIGINT and SIGTERM cases.
    private static readonly Lazy<(string Config, RunResults Results)> Reference = new(() =>
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "tiny.json");
        // No periodic checkpoint before the end: whatever the signal's checkpoint holds, it wrote.
        ConfigJson.Save(TinyRuns.Config(samples: 64 * Steps, checkpointEvery: 10_000), configPath);
        string run = Path.Combine(root, "reference");
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run);
        Assert.True(code == 0, output);
        return (configPath, RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile)));
    });

    [Theory]
    [InlineData(SignalledCli.SigInt, 130)]
    [InlineData(SignalledCli.SigTerm, 143)]
    public void TrainStoppedByASignalWritesACheckpointAndResumesToTheSameFinalLoss(int signal, int expectedExitCode)
    {
        var (configPath, expected) = Reference.Value;
        string run = Path.Combine(TinyRuns.TempDirectory(), "signalled");
        long stepAtSignal;
        int code;
        string output;
        using (var cli = new SignalledCli("train", "--config", configPath, "--out", run))
        {
            Assert.True(cli.WaitUntil(() => LoggedSteps(run) >= 20, TimeSpan.FromMinutes(3)), "the run never got going:\n" + cli.Output);
            stepAtSignal = LoggedSteps(run);
            cli.Send(signal);
            (code, output) = cli.WaitForExit(TimeSpan.FromMinutes(2));
        }
        Assert.True(code == expectedExitCode, $"exit code {code}:\n{output}");
        var stopped = Regex.Match(output, @"Interrupted at step (\d+) of 400: checkpoint written to (\S+)\. Resume with: \./cliplab train --resume (\S+)");
        Assert.True(stopped.Success, output);
        long step = long.Parse(stopped.Groups[1].Value);
        Assert.InRange(step, stepAtSignal, Steps - 1); // it finished the step under way, not the run
        Assert.Equal(run, stopped.Groups[3].Value);
        string checkpoint = stopped.Groups[2].Value;
        Assert.Equal(checkpoint, Checkpoint.FindLatest(run));
        Assert.Equal(step, Checkpoint.LoadState(checkpoint).Step);
        Assert.False(File.Exists(Path.Combine(run, TrainingRun.ResultsFile)));

        (code, output) = CliProcess.Run("train", "--resume", run);
        Assert.True(code == 0, output);
        Assert.Contains($"from step {step} of {Steps}", output);
        var resumed = RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile));
        Assert.Equal(expected.Train.FinalLoss, resumed.Train.FinalLoss);
        Assert.Equal(expected.Train.SamplesSeen, resumed.Train.SamplesSeen);
    }

    [Fact]
    public void EvalStoppedBySigintKeepsItsCachedFeaturesAndTheNextRunReadsThem()
    {
        string run = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 5), run)) trainer.Run();
        string cache = Path.Combine(Checkpoint.FindLatest(run)!, FeatureCache.FolderName);
        string[] Cached() => Directory.Exists(cache) ? Directory.GetFiles(cache, "*" + FeatureCache.FileExtension, SearchOption.AllDirectories) : [];

        int code;
        string output;
        using (var cli = new SignalledCli("eval", "--checkpoint", run, "--suite", "quick"))
        {
            // The quick suite embeds two image sets (test, then probe training images); stop once the first is on disk.
            Assert.True(cli.WaitUntil(() => Cached().Length >= 1, TimeSpan.FromMinutes(3)), "no features were cached:\n" + cli.Output);
            cli.Send(SignalledCli.SigInt);
            (code, output) = cli.WaitForExit(TimeSpan.FromMinutes(2));
        }
        Assert.True(code == 130, $"exit code {code}:\n{output}");
        int kept = Cached().Length;
        Assert.Contains($"Interrupted: {kept} feature set(s) are cached in {cache}; run the same command again to continue from them.", output);

        string json = Path.Combine(run, "eval.json");
        (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--suite", "quick", "--json", json);
        Assert.True(code == 0, output);
        // Every set finished before the signal came from disk: at least the 10,000 test images.
        Assert.True(SuiteReport.Load(json).Throughput.ImagesFromDiskCache >= 10_000, output);
    }

    /// <summary>The last step in the run's metrics log (0 before it exists).</summary>
    private static long LoggedSteps(string run)
    {
        string path = Path.Combine(run, "metrics.jsonl");
        if (!File.Exists(path)) return 0;
        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete));
        long last = 0;
        while (reader.ReadLine() is { } line)
        {
            try
            {
                using var doc = JsonDocument.Parse(line);
                last = doc.RootElement.GetProperty("step").GetInt64();
            }
            catch (JsonException) { } // the line being written
        }
        return last;
    }
}
