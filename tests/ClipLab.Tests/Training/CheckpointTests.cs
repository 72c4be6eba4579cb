using ClipLab.Configuration;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class CheckpointTests
{
    [Fact]
    public void HalfWrittenCheckpointAndMissingPointerAreIgnoredOnResume()
    {
        string dir = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 12, checkpointEvery: 5);
        using (var cts = new CancellationTokenSource())
        using (var trainer = new Trainer(config, dir))
            trainer.Run(p => { if (p.Step == 10) cts.Cancel(); }, cts.Token);

        string root = Checkpoint.Folder(dir);
        // A kill during a save leaves a temporary folder with a partial model file behind...
        string torn = Path.Combine(root, ".step-00000011.tmp");
        Directory.CreateDirectory(torn);
        File.WriteAllBytes(Path.Combine(torn, Checkpoint.ModelFile), new byte[] { 1, 2, 3 });
        // ...and a kill between the rename and the pointer update leaves no latest.json.
        File.Delete(Path.Combine(root, "latest.json"));

        Assert.EndsWith("step-00000010", Checkpoint.FindLatest(dir));
        using var resumed = new Trainer(config, dir, resume: true);
        Assert.Equal(10, resumed.Step);
        var summary = resumed.Run();
        Assert.Equal(12, summary.Steps);
        Assert.False(Directory.Exists(torn) && Directory.GetDirectories(root, "step-*").Any(d => d.EndsWith(".tmp")));
    }

    [Fact]
    public void OnlyTheNewestCheckpointsAreKept()
    {
        string dir = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 20, checkpointEvery: 3);
        config = config with { Training = config.Training with { KeepCheckpoints = 2 } };
        using (var trainer = new Trainer(config, dir)) trainer.Run();
        var names = Directory.GetDirectories(Checkpoint.Folder(dir), "step-*").Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(new[] { "step-00000018", "step-00000020" }, names);
    }

    [Fact]
    public void LoadTrainedRebuildsTheSameModel()
    {
        string dir = TinyRuns.TempDirectory();
        float[] expected;
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 3), dir))
        {
            trainer.Run();
            expected = trainer.Model.LogitScale.data<float>().ToArray();
        }
        var (config, tokenizer, model, folder) = Checkpoint.LoadTrained(dir);
        using (model)
        {
            Assert.Equal(expected, model.LogitScale.data<float>().ToArray());
            Assert.Equal(16, tokenizer.ContextLength);
            Assert.NotNull(config.ModelConfig);
            Assert.EndsWith("step-00000003", folder);
        }
        var ex = Assert.Throws<FileNotFoundException>(() => Checkpoint.LoadTrained(TinyRuns.TempDirectory()));
        Assert.Contains("no checkpoint", ex.Message);
    }
}
