using ClipLab.Configuration;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Training;

public class TrainingHealthTests
{
    private static bool AllFinite(ClipLab.Models.ClipModel model) =>
        TrainingHealth.FirstNonFinite(model.named_parameters().Select(p => (p.name, (torch.Tensor)p.parameter))) is null;

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.0)] // without clipping the norm is measured for the check alone
    public void ANanGradientStopsBeforeTheUpdateAndTheLastCheckpointStaysGood(double gradClipNorm)
    {
        string run = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 30, checkpointEvery: 10);
        config = config with { Training = config.Training with { GradClipNorm = gradClipNorm } };
        using (var trainer = new Trainer(config, run))
        {
            // The loss of step 15 is finite; only its gradients are poisoned, as an overflow in the backward pass would.
            trainer.AfterBackwardForTests = step =>
            {
                if (step == 15) using (torch.no_grad()) trainer.Model.parameters().First().grad!.fill_(float.NaN);
            };
            var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
            Assert.StartsWith("training diverged: the gradients became NaN at step 15", ex.Message);
            Assert.Contains($"The last good checkpoint is {Path.Combine(Checkpoint.Folder(run), "step-00000010")} (step 10)", ex.Message);
            Assert.Contains($"cliplab train --resume {run} --set training.learningRate=0.001", ex.Message);
            Assert.True(AllFinite(trainer.Model), "the poisoned gradients reached the weights");
        }
        Assert.Equal([10L], Checkpoint.List(run).Select(c => c.Step));

        // The advice works: the run continues from step 10 with the lower learning rate.
        using var resumed = new Trainer(config, run, resume: true, settings: ["training.learningRate=0.001"]);
        Assert.Equal(10, resumed.Step);
        Assert.Equal(30, resumed.Run().Steps);
        Assert.True(AllFinite(resumed.Model));
    }

    [Fact]
    public void WeightsThatAreNotFiniteAreNeverCheckpointed()
    {
        string run = TinyRuns.TempDirectory();
        using var trainer = new Trainer(TinyRuns.Config(samples: 64 * 30, checkpointEvery: 5), run);
        // After step 10's gradients are checked, a weight turns NaN; the checkpoint due after step 10 must not be written.
        trainer.AfterBackwardForTests = step =>
        {
            // Not the temperature: the step clamps that back into range.
            if (step == 10) using (torch.no_grad()) trainer.Model.named_parameters().First(p => !p.name.Contains("logit")).parameter.fill_(float.PositiveInfinity);
        };
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("holds NaN or infinity after step 10, so no checkpoint was written", ex.Message);
        Assert.Contains("step-00000005", ex.Message);
        Assert.Equal([5L], Checkpoint.List(run).Select(c => c.Step));
    }

    [Fact]
    public void TheLossAtChanceLevelAfterWarmupIsACollapseOnlyWhenItLasts()
    {
        var health = new TrainingHealth(new TrainingConfig { BatchSize = 64, WarmupSteps = 5 }, "clip");
        double chance = Math.Log(64);
        for (long step = 1; step <= 5; step++) Assert.Null(health.Observe(step, chance)); // warm-up does not count
        for (long step = 6; step < 6 + TrainingHealth.CollapseSteps - 1; step++) Assert.Null(health.Observe(step, chance + 5e-4));
        Assert.Null(health.Observe(100, chance - 0.01)); // one step off chance level resets the count
        for (long step = 101; step < 101 + TrainingHealth.CollapseSteps - 1; step++) Assert.Null(health.Observe(step, chance));
        Assert.StartsWith("training collapsed at step 120", health.Observe(120, chance));
        Assert.Equal(101, health.FirstCollapsedStep);
        Assert.Null(new TrainingHealth(new TrainingConfig(), "siglip").ChanceLoss);
    }

    [Fact]
    public void TheLargestLearningRateCollapsesATinyModelAndTheCliStopsWithOneLine()
    {
        // As reported: at the largest allowed learning rate the loss sits at exactly ln(batch) within a few steps.
        string root = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 60, checkpointEvery: 10);
        config = config with { Training = config.Training with { LearningRate = 10 } };
        string configPath = Path.Combine(root, "collapse.json");
        ConfigJson.Save(config, configPath);
        string run = Path.Combine(root, "run");

        var (code, _, stderr) = CliProcess.RunSeparately("train", "--config", configPath, "--out", run);
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: training collapsed at step ", line);
        Assert.Contains("ln(batch size) = 4.1589", line);
        Assert.Contains("start a new run with a lower learning rate", line);
        Assert.False(File.Exists(Path.Combine(run, TrainingRun.ResultsFile)));
        // The run stopped long before its 60 steps, and no checkpoint was written past the step that showed the collapse.
        long stoppedAt = Checkpoint.List(run).Select(c => c.Step).DefaultIfEmpty(0).Max();
        Assert.InRange(stoppedAt, 0, 5 + TrainingHealth.CollapseSteps);
    }
}
