using System.Text.Json;
using ClipLab.Training;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Training;

public class TrainerTests
{
    [Fact]
    public void TinyTrainingLowersTheLossAndWritesRunFiles()
    {
        string dir = TinyRuns.TempDirectory();
        var losses = new List<double>();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 60), dir))
        {
            var summary = trainer.Run(p => losses.Add(p.Loss));
            Assert.True(summary.Completed);
            Assert.Equal(60, summary.Steps);
            Assert.Equal(64 * 60, summary.SamplesSeen);
            Assert.Equal(64.0 * 60 / 1024, summary.Epochs, 9);
        }
        Assert.True(losses.Skip(50).Average() < losses.Take(5).Average() - 0.3,
            $"loss did not fall: first {losses.Take(5).Average():F3}, last {losses.Skip(50).Average():F3}");
        Assert.True(File.Exists(Path.Combine(dir, "config.json")));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(dir, "tensorboard"), "events.out.tfevents.*"));
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"));
        Assert.Equal(60, lines.Length);
        using var last = JsonDocument.Parse(lines[^1]);
        Assert.Equal(60, last.RootElement.GetProperty("step").GetInt64());
        Assert.NotNull(Checkpoint.FindLatest(dir));
    }

    [Fact]
    public void InterruptedAndResumedRunEqualsUninterruptedRun()
    {
        var config = TinyRuns.Config(samples: 64 * 30, checkpointEvery: 10);
        string straight = TinyRuns.TempDirectory();
        TrainingSummary full;
        float[] fullWeights;
        using (var trainer = new Trainer(config, straight))
        {
            full = trainer.Run();
            fullWeights = TinyRuns.Weights(trainer);
        }

        string interrupted = TinyRuns.TempDirectory();
        using (var cts = new CancellationTokenSource())
        using (var trainer = new Trainer(config, interrupted))
        {
            var partial = trainer.Run(p => { if (p.Step == 17) cts.Cancel(); }, cts.Token);
            Assert.False(partial.Completed);
            Assert.Equal(17, partial.Steps);
        }
        using (var trainer = new Trainer(config, interrupted, resume: true))
        {
            Assert.Equal(17, trainer.Step);
            var resumed = trainer.Run();
            Assert.Equal(full.FinalLoss, resumed.FinalLoss);
            Assert.Equal(fullWeights, TinyRuns.Weights(trainer));
        }
        // Metrics have exactly one line per step, none duplicated by the resume.
        var steps = File.ReadAllLines(Path.Combine(interrupted, "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (long)i), steps);
    }

    [Fact]
    public void StartingOverAnExistingRunOrResumingNothingIsRefused()
    {
        string dir = TinyRuns.TempDirectory();
        var ex = Assert.Throws<InvalidOperationException>(() => new Trainer(TinyRuns.Config(), dir, resume: true));
        Assert.Contains("nothing to resume", ex.Message);
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 2), dir)) trainer.Run();
        ex = Assert.Throws<InvalidOperationException>(() => new Trainer(TinyRuns.Config(), dir));
        Assert.Contains("--resume", ex.Message);
    }

    [Fact]
    public void NonFiniteLossStopsWithAClearMessage()
    {
        string dir = TinyRuns.TempDirectory();
        using var trainer = new Trainer(TinyRuns.Config(samples: 64 * 20), dir);
        // A blown-up weight is what a diverged run looks like; the loss it produces must stop the run.
        using (torch.no_grad()) trainer.Model.parameters().First().fill_(float.NaN);
        var ex = Assert.Throws<TrainingDivergedException>(() => trainer.Run());
        Assert.Contains("at step 1", ex.Message);
        Assert.Contains("training.learningRate", ex.Message);
    }
}
