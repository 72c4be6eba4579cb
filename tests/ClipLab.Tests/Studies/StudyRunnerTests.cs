using ClipLab.Studies;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Studies;

public class StudyRunnerTests
{
    /// <summary>Counts the runs it is asked to train, and can cancel after a number of training steps of one run.</summary>
    private sealed class CountingExecutor(StudyDefinition study, string? cancelRun = null, long cancelAtStep = 0) : IStudyRunExecutor
    {
        private readonly InProcessRunExecutor _inner = new(study);
        public List<(string RunId, bool Resumed)> Started { get; } = [];

        public StudyRunRecord? Execute(PlannedRun run, string runFolder, Action<bool> onStart, Action<TrainingProgress> onProgress, Action onEvaluating,
            CancellationToken cancellation)
        {
            using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            return _inner.Execute(run, runFolder, resumed => { Started.Add((run.RunId, resumed)); onStart(resumed); },
                p =>
                {
                    onProgress(p);
                    if (run.RunId == cancelRun && p.Step >= cancelAtStep) cancel.Cancel();
                }, onEvaluating, cancel.Token);
        }
    }

    [Fact]
    public void AnInterruptedStudyResumesItsHalfTrainedRunAndRedoesNoFinishedOne()
    {
        string dir = TinyRuns.TempDirectory();
        var study = TinyStudy.Load(TinyStudy.Write(dir));
        string output = Path.Combine(dir, "out");
        string second = study.Runs[1].RunId;

        // First attempt: stopped at step 2 of the second run (a checkpoint is written every 2 steps).
        var first = new CountingExecutor(study, cancelRun: second, cancelAtStep: 2);
        var events = new List<StudyEvent>();
        Assert.False(new StudyRunner(study, output).Run(first, events.Add));
        Assert.Equal([(study.Runs[0].RunId, false), (second, false)], first.Started);
        using (var store = StudyStore.OpenExisting(output)) Assert.Equal([study.Runs[0].RunId], store.FinishedRunIds());
        Assert.NotNull(Checkpoint.FindLatest(StudyRunner.RunFolder(output, second)));
        string finishedCheckpoint = Checkpoint.FindLatest(StudyRunner.RunFolder(output, study.Runs[0].RunId))!;
        var stamp = Directory.GetLastWriteTimeUtc(finishedCheckpoint);

        // Second attempt: the finished run is skipped, the half-trained one continues from its checkpoint.
        var again = new CountingExecutor(study);
        events.Clear();
        Assert.True(new StudyRunner(study, output).Run(again, events.Add));
        Assert.Equal([(second, true), (study.Runs[2].RunId, false)], again.Started);
        var planned = Assert.IsType<StudyPlanned>(events[0]);
        Assert.Equal([study.Runs[0].RunId], planned.Finished);
        Assert.Equal(stamp, Directory.GetLastWriteTimeUtc(finishedCheckpoint));
        Assert.Equal(2, events.OfType<StudyRunFinished>().Count());

        using (var store = StudyStore.OpenExisting(output))
        {
            var rows = store.Records();
            Assert.Equal(study.Runs.Select(r => r.RunId).Order(StringComparer.Ordinal), rows.Select(r => r.RunId));
            Assert.All(rows, r =>
            {
                Assert.Equal(256, r.SamplesSeen);
                Assert.Equal(1024, r.UniquePairs);
                Assert.Equal(0.25, r.Epochs, 6);
                Assert.Contains(r.Metrics, m => m.Key.Contains("/retrieval/image_to_text_r1", StringComparison.Ordinal));
                Assert.All(r.Metrics.Where(m => m.Key.Contains("_r", StringComparison.Ordinal)), m => Assert.InRange(m.Value, 0.0, 1.0));
                Assert.Equal("cpu", r.Device);
                Assert.Equal(r.TotalGflops, r.SamplesSeen * r.GflopsPerSample, 6);
            });
            Assert.Equal("0.003", rows.Single(r => r.RunId == second).Axes["training.learningRate"]);
        }

        // A third attempt has nothing left to do.
        var third = new CountingExecutor(study);
        Assert.True(new StudyRunner(study, output).Run(third));
        Assert.Empty(third.Started);
    }

    [Fact]
    public void TwoShardsInSeparateFoldersMergedEqualOneUnshardedRun()
    {
        string dir = TinyRuns.TempDirectory();
        var study = TinyStudy.Load(TinyStudy.Write(dir));
        string whole = Path.Combine(dir, "whole"), one = Path.Combine(dir, "shard-1"), two = Path.Combine(dir, "shard-2"), merged = Path.Combine(dir, "merged");
        Assert.True(new StudyRunner(study, whole).Run(new InProcessRunExecutor(study)));
        Assert.True(new StudyRunner(study, one, new StudyRunOptions { Shard = StudyShard.Parse("1/2") }).Run(new InProcessRunExecutor(study)));
        Assert.True(new StudyRunner(study, two, new StudyRunOptions { Shard = StudyShard.Parse("2/2") }).Run(new InProcessRunExecutor(study)));
        using (var s = StudyStore.OpenExisting(one)) Assert.Equal(2, s.FinishedRunIds().Count);
        using (var s = StudyStore.OpenExisting(two)) Assert.Single(s.FinishedRunIds());

        using var target = StudyStore.Open(merged);
        target.Merge([one, two]);
        using var reference = StudyStore.OpenExisting(whole);
        // Everything but the wall-clock time is a function of the config and the seed.
        static object Row(StudyRunRecord r) => (r.Study, r.Scale, r.RunId, string.Join(";", r.Axes), r.Seed, r.ConfigHash, r.SamplesSeen, r.UniquePairs,
            r.Epochs, r.GflopsPerSample, r.TotalGflops, r.Device, string.Join(";", r.Metrics.Select(m => $"{m.Key}={m.Value:R}")));
        Assert.Equal(reference.Records().Select(Row), target.Records().Select(Row));
    }
}
