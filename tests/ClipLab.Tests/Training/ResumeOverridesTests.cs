using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class ResumeOverridesTests
{
    /// <summary>A tiny run of 20 steps stopped after step 10, where its checkpoint is.</summary>
    private static (string Run, RunConfig Config) StoppedRun()
    {
        string run = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 20, checkpointEvery: 10);
        using var cts = new CancellationTokenSource();
        using (var trainer = new Trainer(config, run)) trainer.Run(p => { if (p.Step == 10) cts.Cancel(); }, cts.Token);
        return (run, config);
    }

    private static List<JsonElement> Metrics(string run, string kind) =>
        File.ReadAllLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("kind").GetString() == kind).ToList();

    [Fact]
    public void SetLearningRateChangesTheLearningRateTheScheduleUsesAndIsLogged()
    {
        var (run, config) = StoppedRun();
        var log = new StringWriter();
        using (var trainer = new Trainer(config, run, resume: true, log, ["training.learningRate=1e-4"]))
        {
            Assert.Equal(1e-4, trainer.Config.Training.LearningRate);
            trainer.Run();
        }
        var expected = new CosineSchedule(1e-4, config.Training.WarmupSteps, 20);
        foreach (var record in Metrics(run, "train").Where(r => r.GetProperty("step").GetInt64() > 10))
            Assert.Equal(expected.At(record.GetProperty("step").GetInt64() - 1), record.GetProperty("lr").GetDouble(), 12);

        var change = Assert.Single(Metrics(run, "config_change"));
        Assert.Equal(10, change.GetProperty("step").GetInt64());
        Assert.Equal("training.learningRate", change.GetProperty("key").GetString());
        Assert.Equal(3e-3, change.GetProperty("old").GetDouble());
        Assert.Equal(1e-4, change.GetProperty("new").GetDouble());
        Assert.Equal("--set", change.GetProperty("source").GetString());
        Assert.Contains("Changed on resume: training.learningRate: 0.003 -> 0.0001 (--set)", log.ToString());
        // The run folder's config.json now holds what the run continues with.
        Assert.Equal(1e-4, ConfigJson.Load<RunConfig>(Path.Combine(run, Checkpoint.ConfigFile)).Training.LearningRate);
    }

    [Theory]
    [InlineData("training.batchSize=32", "training.batchSize")]
    [InlineData("model=clip-vit-micro-p4-32", "model")]
    [InlineData("modelConfig.embedDim=64", "modelConfig.embedDim")]
    public void AnUnsafeSetIsRefusedNamingTheKey(string setting, string key)
    {
        var (run, config) = StoppedRun();
        var ex = Assert.Throws<ConfigException>(() => new Trainer(config, run, resume: true, settings: [setting]));
        Assert.Contains($"--set {key}: a resumed run cannot change {key}", ex.Message);
        Assert.Contains("training.learningRate", ex.Message); // the keys that can change are listed
    }

    [Fact]
    public void AnEditedRunConfigIsDetectedAppliedWhenSafeAndRefusedNamingEachUnsafeKey()
    {
        var (run, config) = StoppedRun();
        string path = Path.Combine(run, Checkpoint.ConfigFile);
        var saved = ConfigJson.Load<RunConfig>(path);

        ConfigJson.Save(saved with { Training = saved.Training with { BatchSize = 32, Seed = 3, LearningRate = 1e-4 } }, path);
        var ex = Assert.Throws<ConfigException>(() => new Trainer(config, run, resume: true));
        Assert.Contains($"{path} was edited", ex.Message);
        Assert.Contains("training.batchSize (64 -> 32)", ex.Message);
        Assert.Contains("training.seed (7 -> 3)", ex.Message);
        Assert.DoesNotContain("training.learningRate (", ex.Message);

        ConfigJson.Save(saved with { Training = saved.Training with { LearningRate = 1e-4, LogEverySteps = 5 } }, path);
        using (var trainer = new Trainer(config, run, resume: true, settings: ["training.logEverySteps=2"]))
        {
            Assert.Equal(1e-4, trainer.Config.Training.LearningRate);
            Assert.Equal(2, trainer.Config.Training.LogEverySteps); // --set comes after the edit
            trainer.Run();
        }
        var changes = Metrics(run, "config_change").ToDictionary(c => c.GetProperty("key").GetString()!, c => c.GetProperty("source").GetString());
        Assert.Equal(path, changes["training.learningRate"]);
        Assert.Equal("--set", changes["training.logEverySteps"]);
        Assert.Equal([12L, 14, 16, 18, 20], Metrics(run, "train").Select(r => r.GetProperty("step").GetInt64()).Where(s => s > 10));
    }

    [Fact]
    public void ABudgetThatEndsBeforeTheCheckpointIsRefusedAndALongerOneExtendsTheRun()
    {
        var (run, config) = StoppedRun();
        var ex = Assert.Throws<ConfigException>(() => new Trainer(config, run, resume: true, settings: ["training.samplesSeen=320"]));
        Assert.Contains("step 5", ex.Message);
        using var trainer = new Trainer(config, run, resume: true, settings: ["training.samplesSeen=1920"]);
        Assert.Equal(30, trainer.TotalSteps);
        Assert.Equal(30, trainer.Run().Steps);
    }

    [Fact]
    public void TheCliAppliesSetOnResumeAndRefusesAnUnsafeKeyInOneLine()
    {
        var (run, _) = StoppedRun();
        var (code, _, stderr) = CliProcess.RunSeparately("train", "--resume", run, "--set", "training.batchSize=32");
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: --set training.batchSize: a resumed run cannot change training.batchSize", line);

        (code, string stdout, stderr) = CliProcess.RunSeparately("train", "--resume", run, "--set", "training.learningRate=1e-4",
            "--set", "evaluation.retrievalImages=50");
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains("Changed on resume: training.learningRate: 0.003 -> 0.0001 (--set)", stdout);
        Assert.Contains("Changed on resume: evaluation.retrievalImages: 100 -> 50 (--set)", stdout);
        Assert.Contains("Learning rate at step 10: ", stdout);
    }
}
