using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class ScalarLifetimeSoakTests
{
    /// <summary>
    /// Thousands of small steps while another thread collects garbage and runs finalizers without pause, and the
    /// step loop forces a full collection after every step: a TorchSharp Scalar freed by its finalizer while libtorch
    /// still reads it aborts the process (see Models.KeptScalars), so the run finishing with a finite loss is the test.
    /// </summary>
    [Fact]
    public void TrainingUnderConstantGarbageCollectionFinishes()
    {
        var config = TinyRuns.Config(samples: 8 * 1000, checkpointEvery: 100_000);
        config = config with { Training = config.Training with { BatchSize = 8, LogEverySteps = 500 } };
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        }) { IsBackground = true };
        collector.Start();
        try
        {
            using var trainer = new Trainer(config, TinyRuns.TempDirectory());
            var summary = trainer.Run(_ =>
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            });
            Assert.Equal(1000, summary.Steps);
            Assert.True(double.IsFinite(summary.FinalLoss));
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
