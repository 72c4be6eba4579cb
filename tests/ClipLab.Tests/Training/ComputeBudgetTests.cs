using ClipLab.Configuration;
using ClipLab.Models.Compute;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class ComputeBudgetTests
{
    private static readonly double GflopsPerSample = TrainingCompute.FlopsPerSample(TinyRuns.Model) / 1e9;

    [Fact]
    public void GflopsBudgetStopsAtTheLastWholeBatchWithinIt()
    {
        // 7.5 batches of compute: the run must take 7 steps and never exceed the budget.
        double budget = 7.5 * 64 * GflopsPerSample;
        var config = TinyRuns.Config() with { Training = TinyRuns.Config().Training with { BudgetGflops = budget } };
        string run = TinyRuns.TempDirectory();
        RunResults results;
        using (var log = new StringWriter())
            results = TrainingRun.Execute(config, run, resume: false, onStart: null, onProgress: null, log: log)!;

        Assert.Equal(7, results.Train.Steps);
        Assert.Equal(7 * 64, results.Train.SamplesSeen);
        Assert.Equal(GflopsPerSample, results.Train.GflopsPerSample, 12);
        Assert.Equal(7 * 64 * GflopsPerSample, results.Train.Gflops, 9);
        Assert.True(results.Train.Gflops <= budget);
        Assert.Equal(budget, results.Train.BudgetGflops);
        // The saved results file carries the same figures.
        var saved = RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile));
        Assert.Equal(results.Train.Gflops, saved.Train.Gflops, 9);
    }

    [Fact]
    public void BudgetBelowOneBatchIsRefusedWithTheCostPerSample()
    {
        var config = TinyRuns.Config() with { Training = TinyRuns.Config().Training with { BudgetGflops = 10 * GflopsPerSample } };
        var error = Assert.Throws<ConfigException>(() => new Trainer(config, TinyRuns.TempDirectory()));
        Assert.Contains("less than one batch of 64", error.Message);
        Assert.Contains("GFLOPs per sample", error.Message);
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(0.0)]
    [InlineData(double.PositiveInfinity)]
    public void NonPositiveBudgetIsAConfigError(double budget)
    {
        var training = new TrainingConfig { BudgetGflops = budget };
        var error = Assert.Throws<ConfigException>(() => (new RunConfig { Training = training }).Validate());
        Assert.Contains("training.budgetGflops", error.Message);
    }

    [Fact]
    public void EpochsAndGflopsTogetherAreAConfigError()
    {
        var training = new TrainingConfig { BudgetGflops = 100, Epochs = 2 };
        var error = Assert.Throws<ConfigException>(() => (new RunConfig { Training = training }).Validate());
        Assert.Contains("one budget", error.Message);
    }
}
