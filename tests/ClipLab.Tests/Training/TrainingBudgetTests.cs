using ClipLab.Configuration;
using ClipLab.Runtime;
using ClipLab.Training;
using ClipLab.Training.Strategies;
using Xunit;

namespace ClipLab.Tests.Training;

public class TrainingBudgetTests
{
    private static readonly StrategyCost Cost = new(2e9);

    [Fact]
    public void SamplesAndEpochBudgetsBecomeWholeSteps()
    {
        var training = new TrainingConfig { BatchSize = 64, SamplesSeen = 1000 };
        var budget = TrainingBudget.Plan(training, Cost, datasetSize: 512, "m", "clip");
        Assert.Equal(15, budget.TotalSteps); // 1000 / 64, rounded down
        Assert.Equal(2.0, budget.Epochs(1024, usableFraction: 1.0));
        Assert.Equal(4.0, budget.Epochs(1024, usableFraction: 0.5));
        Assert.Equal(10 * 64 * 2.0, budget.GflopsSpent(10));

        var epochs = TrainingBudget.Plan(training with { Epochs = 2.5 }, Cost, datasetSize: 640, "m", "clip");
        Assert.Equal(25, epochs.TotalSteps);
        // A budget below one batch still trains one step.
        Assert.Equal(1, TrainingBudget.Plan(training with { SamplesSeen = 10 }, Cost, 512, "m", "clip").TotalSteps);
    }

    [Fact]
    public void AComputeBudgetIsACeilingAndAFinalPhaseCostsItsOwnRate()
    {
        var training = new TrainingConfig { BatchSize = 10, BudgetGflops = 75 * 2.0 };
        Assert.Equal(7, TrainingBudget.Plan(training, Cost, 100, "m", "clip").TotalSteps);
        var tooSmall = Assert.Throws<ConfigException>(() => TrainingBudget.Plan(training with { BudgetGflops = 5 }, Cost, 100, "tiny", "flip"));
        Assert.Contains("less than one batch of 10", tooSmall.Message);
        Assert.Contains("tiny with strategy flip", tooSmall.Message);

        // FLIP: 20 unmasked samples (2 steps) at 4 GFLOPs each at the end of a 5-step run.
        var flip = TrainingBudget.Plan(new TrainingConfig { BatchSize = 10, SamplesSeen = 50 }, new StrategyCost(2e9, 4e9, 20), 100, "m", "flip");
        Assert.False(flip.IsFinalPhase(2));
        Assert.True(flip.IsFinalPhase(3));
        Assert.Equal((3 * 10 * 2.0 + 2 * 10 * 4.0) / 50, flip.GflopsPerSample(5, 50), 12);
        Assert.Throws<ConfigException>(() => TrainingBudget.Plan(new TrainingConfig { BatchSize = 10, SamplesSeen = 20 }, new StrategyCost(2e9, 4e9, 20), 100, "m", "flip"));
    }

    [Fact]
    public void EpochsOfAnUnknownSizeAreRefused()
    {
        var error = Assert.Throws<ConfigException>(() => TrainingBudget.Plan(new TrainingConfig { Epochs = 1 }, Cost, datasetSize: 0, "m", "clip"));
        Assert.Contains("training.epochs needs a known dataset size", error.Message);
        Assert.True(double.IsNaN(TrainingBudget.Plan(new TrainingConfig { SamplesSeen = 640 }, Cost, 0, "m", "clip").Epochs(64, 1.0)));
    }

    [Fact]
    public void ProcessSettingsShareTheCoresBetweenRanksUnlessThreadsAreSet()
    {
        Assert.Equal(3, TorchProcessSettings.For(3, 7, ranks: 4).Threads);
        Assert.Equal(Math.Max(1, Environment.ProcessorCount / 2), TorchProcessSettings.For(0, 7, ranks: 2).Threads);
        Assert.Equal(1, TorchProcessSettings.For(0, 7, ranks: 10_000).Threads);
        Assert.Equal(Environment.ProcessorCount, TorchProcessSettings.For(0, 7).Threads);
    }
}
