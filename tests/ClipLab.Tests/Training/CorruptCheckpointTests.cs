using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

public class CorruptCheckpointTests
{
    /// <summary>A finished tiny run with checkpoints at steps 5 and 10.</summary>
    private static (string Run, RunConfig Config, string Previous, string Latest) TrainedRun()
    {
        string run = TinyRuns.TempDirectory();
        var config = TinyRuns.Config(samples: 64 * 10, checkpointEvery: 5);
        using (var trainer = new Trainer(config, run)) trainer.Run();
        string root = Checkpoint.Folder(run);
        return (run, config, Path.Combine(root, "step-00000005"), Path.Combine(root, "step-00000010"));
    }

    private static void Truncate(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Write);
        stream.SetLength(stream.Length / 2);
    }

    [Fact]
    public void ACheckpointCarriesAManifestOfItsFilesSizesAndHashes()
    {
        var (_, _, _, latest) = TrainedRun();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(latest, CheckpointManifest.FileName)));
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal([Checkpoint.ModelFile, Checkpoint.OptimizerFile, Checkpoint.StateFile, Checkpoint.ConfigFile], files.Keys);
        foreach (var (name, entry) in files)
        {
            string path = Path.Combine(latest, name);
            Assert.Equal(new FileInfo(path).Length, entry.GetProperty("size").GetInt64());
            Assert.Equal(CheckpointManifest.Sha256(path), entry.GetProperty("sha256").GetString());
        }
    }

    [Fact]
    public void TruncatedMissingOrGarbledFilesAreNamedWithThePreviousCheckpoint()
    {
        var (run, config, previous, latest) = TrainedRun();
        string model = Path.Combine(latest, Checkpoint.ModelFile);
        byte[] original = File.ReadAllBytes(model);

        Truncate(model);
        var ex = Assert.Throws<CorruptCheckpointException>(() => new Trainer(config, run, resume: true));
        Assert.Contains($"{latest} is unusable: model.bin is truncated", ex.Message);
        Assert.Contains($"The previous checkpoint {previous} is intact", ex.Message);
        Assert.Contains($"cliplab train --resume {run}", ex.Message);
        Assert.Throws<CorruptCheckpointException>(() => Checkpoint.LoadTrained(run)); // what eval loads

        File.Delete(model);
        ex = Assert.Throws<CorruptCheckpointException>(() => Checkpoint.LoadTrained(latest));
        Assert.Contains("model.bin is missing", ex.Message);

        File.WriteAllBytes(model, original);
        // Garbage of the very same size, so only the hash can tell.
        string state = Path.Combine(latest, Checkpoint.StateFile);
        File.WriteAllText(state, new string('x', (int)new FileInfo(state).Length));
        ex = Assert.Throws<CorruptCheckpointException>(() => new Trainer(config, run, resume: true));
        Assert.Contains("state.json", ex.Message);
        Assert.Contains("does not match its SHA-256", ex.Message);

        // The advice is true: with the damaged folder deleted, resuming continues from the previous checkpoint.
        Directory.Delete(latest, recursive: true);
        using var resumed = new Trainer(config, run, resume: true);
        Assert.Equal(5, resumed.Step);
        Assert.Equal(10, resumed.Run().Steps);
    }

    [Fact]
    public void CheckpointsWithoutAManifestStillLoadAndTheirDamageIsNamed()
    {
        var (run, config, previous, latest) = TrainedRun();
        foreach (string folder in new[] { previous, latest }) File.Delete(Path.Combine(folder, CheckpointManifest.FileName));
        var (_, _, model, _) = Checkpoint.LoadTrained(run);
        model.Dispose();

        string state = Path.Combine(latest, Checkpoint.StateFile);
        string saved = File.ReadAllText(state);
        File.WriteAllText(state, "garbage");
        var ex = Assert.Throws<CorruptCheckpointException>(() => new Trainer(config, run, resume: true));
        Assert.Contains("state.json cannot be read", ex.Message);
        Assert.Contains(previous, ex.Message);

        File.WriteAllText(state, saved);
        Truncate(Path.Combine(latest, Checkpoint.ModelFile));
        ex = Assert.Throws<CorruptCheckpointException>(() => Checkpoint.LoadTrained(run));
        Assert.Contains("model.bin", ex.Message);
        Assert.Contains(latest, ex.Message);
    }

    [Fact]
    public void EvalAndResumeOfADamagedCheckpointPrintOneLineAndExitWithCode2()
    {
        var (run, _, previous, latest) = TrainedRun();
        Truncate(Path.Combine(latest, Checkpoint.ModelFile));
        foreach (var args in new[] { new[] { "eval", "--checkpoint", run, "--task", "retrieval" }, new[] { "train", "--resume", run } })
        {
            var (code, _, stderr) = CliProcess.RunSeparately(args);
            Assert.True(code == 2, $"{string.Join(' ', args)} exited with {code}: {stderr}");
            string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: checkpoint ", line);
            Assert.Contains("model.bin is truncated", line);
            Assert.Contains(previous, line);
            Assert.DoesNotContain(" at ClipLab", line);
        }

        File.WriteAllText(Path.Combine(previous, Checkpoint.StateFile), "{");
        File.Delete(Path.Combine(latest, Checkpoint.ModelFile));
        var (missingCode, _, missing) = CliProcess.RunSeparately("eval", "--checkpoint", latest, "--task", "retrieval");
        Assert.Equal(2, missingCode);
        string message = Assert.Single(missing.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("model.bin is missing", message);
        Assert.Contains("No intact earlier checkpoint", message); // step 5's state.json is damaged too
    }
}
