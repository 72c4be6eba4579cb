using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class TensorBoardResumeTests
{
    private sealed class Crash : Exception;

    [Fact]
    public void StepsLoggedAfterTheLastCheckpointAppearOnceAfterResume()
    {
        string dir = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 24, checkpointEvery: 10);
        // A crash at step 17 has logged steps 11-17 that the checkpoint at step 10 does not cover; the resumed run logs them again.
        using (var trainer = new Trainer(config, dir))
            Assert.Throws<Crash>(() => trainer.Run(p => { if (p.Step == 17) throw new Crash(); }));
        string tensorboard = Path.Combine(dir, "tensorboard");
        Assert.Contains(Events(tensorboard), e => e.Step == 17); // the crash really logged past the checkpoint

        using (var resumed = new Trainer(config, dir, resume: true)) resumed.Run();

        var events = Events(tensorboard);
        var byTag = events.SelectMany(e => e.Tags.Select(tag => (tag, e.Step))).GroupBy(x => x.tag).ToList();
        Assert.Contains(byTag, g => g.Key == "train/loss");
        foreach (var tag in byTag)
        {
            var steps = tag.Select(x => x.Step).ToList();
            Assert.True(steps.Count == steps.Distinct().Count(), $"{tag.Key} logs a step twice: {string.Join(",", steps)}");
        }
        Assert.Equal(Enumerable.Range(1, 24).Select(i => (long)i), byTag.Single(g => g.Key == "train/loss").Select(x => x.Step).Order());
        Assert.Equal(2, TensorBoardEvents.Files(tensorboard).Count); // one file per session, the first cut back to step 10
        Assert.Equal(10, TensorBoardEvents.Read(TensorBoardEvents.Files(tensorboard)[0]).Max(e => e.Step));
    }

    [Fact]
    public void AFileTornByAKillIsReadUpToItsLastWholeRecordAndCutThere()
    {
        string dir = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 6, checkpointEvery: 100), dir)) trainer.Run();
        string tensorboard = Path.Combine(dir, "tensorboard");
        string file = TensorBoardEvents.Files(tensorboard).Single();
        var whole = TensorBoardEvents.Read(file);
        Assert.Equal(6, whole.Max(e => e.Step));
        Assert.Equal(new FileInfo(file).Length, whole.Sum(e => (long)e.Length)); // every record's checksum holds

        // A kill in the middle of writing the last record.
        var last = whole[^1];
        using (var stream = new FileStream(file, FileMode.Open)) stream.SetLength(last.Offset + last.Length / 2);
        var torn = TensorBoardEvents.Read(file);
        Assert.Equal(whole.Count - 1, torn.Count);

        TensorBoardEvents.TruncateAfter(tensorboard, 4);
        var cut = TensorBoardEvents.Read(file);
        Assert.Equal(4, cut.Max(e => e.Step));
        Assert.Equal(new FileInfo(file).Length, cut.Sum(e => (long)e.Length)); // the torn tail is gone too
        Assert.Contains(cut, e => e.Step == 0 && e.Tags.Count == 0); // the file-version header stays
    }

    private static List<TensorBoardEvent> Events(string directory) =>
        TensorBoardEvents.Files(directory).SelectMany(TensorBoardEvents.Read).ToList();
}
