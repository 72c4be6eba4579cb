using ClipLab.Configuration;
using ClipLab.Models.Compute;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

public class TrainCommandTests
{
    [Fact]
    public void BudgetGflopsFlagOverridesTheConfigBudgetAndIsReported()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 1000), configPath);
        double gflopsPerSample = TrainingCompute.FlopsPerSample(TinyRuns.Model) / 1e9;
        double budget = 3.2 * 64 * gflopsPerSample;
        string run = Path.Combine(dir, "run");

        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run,
            "--budget-gflops", budget.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(code == 0, output);
        var results = RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile));
        Assert.Equal(3 * 64, results.Train.SamplesSeen);
        Assert.Equal(budget, results.Train.BudgetGflops!.Value, 9);
        Assert.Contains("training compute", output);
    }

    [Fact]
    public void TwoBudgetFlagsAreRefused()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(), configPath);
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", Path.Combine(dir, "run"),
            "--samples-seen", "640", "--budget-gflops", "5");
        Assert.Equal(2, code);
        Assert.Contains("give only one of them", output);
    }
}

public class TrainLeverFlagTests
{
    [Fact]
    public void StrategyLossAndTrainSubsetFlagsOverrideTheConfigAndKeepTheBudget()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 3) with { Evaluation = new EvaluationConfig { ZeroShot = false, Retrieval = false } }, configPath);
        string run = Path.Combine(dir, "run");

        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run,
            "--strategy", "flip", "--loss", "siglip", "--train-subset", "300");
        Assert.True(code == 0, output);
        var saved = ConfigJson.Load<RunConfig>(Path.Combine(run, Checkpoint.ConfigFile));
        Assert.Equal("flip", saved.Training.Strategy.Name);
        Assert.Equal("siglip", saved.Training.Loss.Name);
        Assert.Equal(300, saved.Data.TrainSubset);
        var results = RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile));
        Assert.Equal(3 * 64, results.Train.SamplesSeen);
        Assert.Equal(300, results.Train.DatasetSize);
    }

    [Fact]
    public void TheStrategyFlagSwitchesTheShippedStrategiesExample()
    {
        // configs/strategies-micro.json names SLIP with its settings; --strategy flip used to fail with "training.slip is set".
        string? root = AppContext.BaseDirectory;
        while (root is not null && !File.Exists(Path.Combine(root, "configs", "strategies-micro.json"))) root = Path.GetDirectoryName(root);
        Assert.NotNull(root);
        // The shipped file as it is, but for the end-of-run evaluation, which would only cost time here.
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(root!, "configs", "strategies-micro.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        json["evaluation"] = new System.Text.Json.Nodes.JsonObject { ["zeroShot"] = false, ["retrieval"] = false };
        string dir = TinyRuns.TempDirectory(), configPath = Path.Combine(dir, "strategies-micro.json"), run = Path.Combine(dir, "run");
        File.WriteAllText(configPath, json.ToJsonString());
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", run,
            "--strategy", "flip", "--samples-seen", "256", "--train-subset", "512");
        Assert.True(code == 0, output);
        var saved = ConfigJson.Load<RunConfig>(Path.Combine(run, Checkpoint.ConfigFile));
        Assert.Equal(new FlipStrategyConfig(), saved.Training.Strategy);
        Assert.Equal("none", saved.Data.Augmentation);
        Assert.Null(saved.ModelConfig!.SimClrHead);
    }

    [Fact]
    public void AnUnknownStrategyFlagListsTheValidOnes()
    {
        string dir = TinyRuns.TempDirectory();
        string configPath = Path.Combine(dir, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(), configPath);
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", Path.Combine(dir, "run"), "--strategy", "simclr");
        Assert.Equal(2, code);
        Assert.Contains("clip, slip, flip, clip-aug", output);
    }
}
