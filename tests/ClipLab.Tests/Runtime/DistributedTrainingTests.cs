using System.Diagnostics;
using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Runtime;

/// <summary><c>mpirun -np 2 cliplab train</c>: one run over two real ranks, against the same run in one process.</summary>
public class DistributedTrainingTests
{
    [Fact]
    public void TwoRanksOfBatch32TrainLikeOneProcessOfBatch64()
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 12, checkpointEvery: 100), configPath);
        string single = Path.Combine(root, "single"), ranks = Path.Combine(root, "ranks");

        var (code, output) = CliProcess.Run("train", "--config", configPath, "--out", single);
        Assert.True(code == 0, output);
        (code, output) = MpiLaunch.Run(2, "train", "--config", configPath, "--out", ranks);
        Assert.True(code == 0, output);

        // Rank 0 alone wrote the log: one line per step, with the share of time spent communicating.
        var expected = TrainRows(single);
        var actual = TrainRows(ranks);
        Assert.Equal(Enumerable.Range(1, 12), actual.Select(r => r.GetProperty("step").GetInt32()));
        Assert.False(expected[0].TryGetProperty("communication_share", out _));
        Assert.InRange(actual[^1].GetProperty("communication_share").GetDouble(), 0.0, 1.0);
        for (int i = 0; i < 12; i++)
            Assert.True(Math.Abs(expected[i].GetProperty("loss").GetDouble() - actual[i].GetProperty("loss").GetDouble()) < 1e-4,
                $"step {i + 1}: loss {expected[i].GetProperty("loss")} in one process, {actual[i].GetProperty("loss")} over two ranks");

        using var scope = torch.NewDisposeScope();
        var a = Checkpoint.LoadTrained(single).Model.parameters().Select(p => p.detach().flatten()).ToList();
        var b = Checkpoint.LoadTrained(ranks).Model.parameters().Select(p => p.detach().flatten()).ToList();
        double worst = a.Zip(b).Max(pair => (pair.First - pair.Second).abs().max().ToDouble());
        Assert.True(worst < 1e-4, $"final weights differ by up to {worst}");
        Assert.True(File.Exists(Path.Combine(ranks, TrainingRun.ResultsFile)), output);
    }

    [Fact]
    public void AGlobalBatchThatDoesNotSplitOverTheRanksIsRefusedOnEveryRankBeforeTraining()
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "odd.json");
        var config = TinyRuns.Config();
        ConfigJson.Save(config with { Training = config.Training with { BatchSize = 63 } }, configPath);
        string run = Path.Combine(root, "run");
        var (code, output) = MpiLaunch.Run(2, "train", "--config", configPath, "--out", run);
        Assert.NotEqual(0, code);
        string line = "error: training.batchSize 63 does not split over 2 ranks";
        Assert.Equal(2, output.Split('\n').Count(l => l.StartsWith(line, StringComparison.Ordinal)));
        Assert.DoesNotContain("   at ", output); // no stack trace
        Assert.False(Directory.Exists(run), "a refused run must leave no folder behind");
    }

    [Fact]
    public void KillingOneRankFailsTheJobAndResumeInOneProcessCompletesIt()
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 300, checkpointEvery: 10), configPath);
        string run = Path.Combine(root, "run");

        using var job = Process.Start(MpiLaunch.StartInfo(2, "train", "--config", configPath, "--out", run))!;
        var stdout = job.StandardOutput.ReadToEndAsync();
        var stderr = job.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (Checkpoint.FindLatest(run) is null && !job.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        if (job.HasExited) Assert.Fail("the job ended before a rank could be killed: " + stdout.Result + stderr.Result);
        int rank1 = RankProcess(job.Id, rank: 1);
        Process.GetProcessById(rank1).Kill(); // SIGKILL: the rank cannot say goodbye
        if (!job.WaitForExit(120_000))
        {
            job.Kill(entireProcessTree: true);
            Assert.Fail("the job did not end after one of its ranks was killed");
        }
        string output = stdout.Result + stderr.Result;
        Assert.True(job.ExitCode != 0, output);
        Assert.Contains("exited on signal 9", output);
        Assert.False(File.Exists(Path.Combine(run, TrainingRun.ResultsFile)), "the run finished before a rank could be killed");

        // The surviving checkpoints continue in a single process (a different number of ranks).
        var (code, resumed) = CliProcess.Run("train", "--resume", run);
        Assert.True(code == 0, resumed);
        Assert.Equal(300, RunResults.Load(Path.Combine(run, TrainingRun.ResultsFile)).Train.Steps);
    }

    [Fact]
    public void ASignalToOneRankStopsEveryRankAtTheSameStepWithACheckpoint()
    {
        string root = TinyRuns.TempDirectory();
        string configPath = Path.Combine(root, "tiny.json");
        ConfigJson.Save(TinyRuns.Config(samples: 64 * 300, checkpointEvery: 1000), configPath);
        string run = Path.Combine(root, "run");

        using var job = Process.Start(MpiLaunch.StartInfo(2, "train", "--config", configPath, "--out", run))!;
        var stdout = job.StandardOutput.ReadToEndAsync();
        var stderr = job.StandardError.ReadToEndAsync();
        string metrics = Path.Combine(run, "metrics.jsonl");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!(File.Exists(metrics) && File.ReadAllLines(metrics).Length >= 3) && !job.HasExited && DateTime.UtcNow < deadline) Thread.Sleep(20);
        if (job.HasExited) Assert.Fail("the job ended before it could be signalled: " + stdout.Result + stderr.Result);
        // SIGTERM to rank 1 only, as a scheduler or a Ctrl+C in one rank's terminal would.
        Process.Start("kill", ["-TERM", RankProcess(job.Id, rank: 1).ToString()])!.WaitForExit();
        if (!job.WaitForExit(120_000))
        {
            job.Kill(entireProcessTree: true);
            Assert.Fail("the job did not stop after one rank was signalled");
        }
        string output = stdout.Result + stderr.Result;
        // Rank 0 stopped too, at the step the ranks agreed on, and wrote the checkpoint there.
        var match = System.Text.RegularExpressions.Regex.Match(output, @"Interrupted at step (\d+) of 300");
        Assert.True(match.Success, output);
        long step = long.Parse(match.Groups[1].Value);
        Assert.Equal(step, Checkpoint.LoadState(Checkpoint.FindLatest(run)!).Step);
        Assert.InRange(step, 3, 299);
    }

    private static List<JsonElement> TrainRows(string run) =>
        File.ReadLines(Path.Combine(run, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(r => r.GetProperty("kind").GetString() == "train").ToList();

    // The process of a rank among the launcher's descendants, found by the rank Open MPI gives it in its environment.
    private static int RankProcess(int launcher, int rank)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            foreach (int pid in Descendants(launcher))
            {
                try
                {
                    var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0');
                    if (environment.Contains($"OMPI_COMM_WORLD_RANK={rank}") && File.ReadAllText($"/proc/{pid}/cmdline").Contains("ClipLab.Cli.dll"))
                        return pid;
                }
                catch (IOException) { } // the process ended meanwhile
                catch (UnauthorizedAccessException) { }
            }
            Thread.Sleep(50);
        }
        throw new InvalidOperationException($"no process of rank {rank} under launcher {launcher}");
    }

    private static IEnumerable<int> Descendants(int pid)
    {
        var children = new List<int>();
        foreach (string task in Directory.Exists($"/proc/{pid}/task") ? Directory.GetDirectories($"/proc/{pid}/task") : [])
        {
            try { children.AddRange(File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)); }
            catch (IOException) { }
        }
        foreach (int child in children)
        {
            yield return child;
            foreach (int grandchild in Descendants(child)) yield return grandchild;
        }
    }
}
