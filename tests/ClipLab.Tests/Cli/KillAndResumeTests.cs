using ClipLab.Configuration;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

public class KillAndResumeTests
{
    [Fact]
    public void TrainKilledWithSigkillAndResumedReachesTheSameFinalLoss()
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 400, checkpointEvery: 25), configPath);

        string reference = Path.Combine(root, "reference");
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", reference);
        Assert.True(code == 0, output);
        var expected = RunResults.Load(Path.Combine(reference, TrainingRun.ResultsFile));

        string killed = Path.Combine(root, "killed");
        using (var process = CliProcess.Start("train", "--config", configPath, "--out", killed))
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (Checkpoint.FindLatest(killed) is null && !process.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(10);
            process.Kill(entireProcessTree: true); // SIGKILL on Linux: no chance to clean up
            process.WaitForExit();
        }
        Assert.False(File.Exists(Path.Combine(killed, TrainingRun.ResultsFile)), "the run finished before it could be killed");
        long stoppedAt = Checkpoint.LoadState(Checkpoint.FindLatest(killed)!).Step;
        Assert.InRange(stoppedAt, 1, 399);

        (code, output) = CliProcess.Run("train", "--resume", killed);
        Assert.True(code == 0, output);
        var resumed = RunResults.Load(Path.Combine(killed, TrainingRun.ResultsFile));
        Assert.Equal(expected.Train.FinalLoss, resumed.Train.FinalLoss);
        Assert.Equal(expected.Train.SamplesSeen, resumed.Train.SamplesSeen);
        Assert.Equal(expected.ZeroShot!.Top1, resumed.ZeroShot!.Top1);
        Assert.Equal("custom", resumed.Train.Model); // the tiny config describes its model inline
    }

    [Fact]
    public void BadConfigKeyGivesAClearErrorAndExitCode()
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "bad.json");
        File.WriteAllText(configPath, "{ \"training\": { \"batchsize\": 8, \"lr\": 0.1 } }");
        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", Path.Combine(root, "run"));
        Assert.Equal(2, code);
        Assert.Contains("unknown key 'training.lr'", output);
        Assert.Contains("learningRate", output);
    }
}
