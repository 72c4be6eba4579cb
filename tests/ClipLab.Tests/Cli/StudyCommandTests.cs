using ClipLab.Studies;
using ClipLab.Tests.Studies;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

public class StudyCommandTests
{
    [Fact]
    public void AStudyKilledWithSigkillFinishesOnTheSameCommandWithoutRetrainingFinishedRuns()
    {
        string dir = TinyRuns.TempDirectory();
        // Three runs of 24 steps, a checkpoint every 4: long enough to be killed inside the second run.
        string study = TinyStudy.Write(dir, samples: 64 * 24, checkpointEvery: 4);
        string output = Path.Combine(dir, "out");
        var runs = TinyStudy.Load(study).Runs.Select(r => r.RunId).ToList();
        string[] command = ["study", "run", study, "--scale", "cpu", "--out", output];

        using (var process = CliProcess.Start(command))
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            // Killed once the first run is in the store and the second has a checkpoint.
            while (!process.HasExited && DateTime.UtcNow < deadline
                   && !(Finished(output) >= 1 && Checkpoint.FindLatest(StudyRunner.RunFolder(output, runs[1])) is not null))
                Thread.Sleep(10);
            process.Kill(entireProcessTree: true); // SIGKILL: no chance to clean up
            process.WaitForExit();
        }
        int finishedBefore = Finished(output);
        Assert.InRange(finishedBefore, 1, 2);
        string firstCheckpoint = Checkpoint.FindLatest(StudyRunner.RunFolder(output, runs[0]))!;
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(firstCheckpoint, "model.bin"));
        long firstRunSteps = Checkpoint.List(StudyRunner.RunFolder(output, runs[0])).Max(c => c.Step);

        var (code, text) = CliProcess.Run(command);
        Assert.True(code == 0, text);
        Assert.Contains($"skipping {finishedBefore} finished runs", text);
        if (finishedBefore == 1) Assert.Contains($"{runs[1]}: resuming from its checkpoint", text);
        Assert.DoesNotContain($"{runs[0]}: starting", text);
        Assert.Equal(3, Finished(output));
        // The finished run's folder was not touched: same last checkpoint, same file time.
        Assert.Equal(firstCheckpoint, Checkpoint.FindLatest(StudyRunner.RunFolder(output, runs[0])));
        Assert.Equal(firstRunSteps, Checkpoint.List(StudyRunner.RunFolder(output, runs[0])).Max(c => c.Step));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(firstCheckpoint, "model.bin")));

        // The store exports, and a third invocation has nothing to do.
        string csv = Path.Combine(dir, "results.csv");
        (code, text) = CliProcess.Run("study", "export", output, "--csv", csv);
        Assert.True(code == 0, text);
        Assert.Equal(4, File.ReadAllLines(csv).Length);
        (code, text) = CliProcess.Run(command);
        Assert.True(code == 0, text);
        Assert.Contains("skipping 3 finished runs", text);
    }

    [Fact]
    public void ABadStudyIsRefusedBeforeAnyTrainingWithOneLine()
    {
        string dir = TinyRuns.TempDirectory();
        string study = TinyStudy.Write(dir, axes: """[ { "key": "model", "values": ["clip-vit-nano-p8-32", "clip-vit-gigantic"] } ]""");
        string output = Path.Combine(dir, "out");
        var (code, stdout, stderr) = CliProcess.RunSeparately("study", "run", study, "--out", output);
        Assert.Equal(2, code);
        Assert.StartsWith("error: study tiny (scale cpu), run model-clip-vit-gigantic_seed-0", stderr);
        Assert.Contains("clip-vit-nano-p8-32", stderr); // the valid choices
        Assert.DoesNotContain("   at ", stderr);
        Assert.False(Directory.Exists(output), "nothing may be written before the study is valid");
    }

    [Fact]
    public void PlanWritesASlurmArrayOfShardsAndMergeCombinesShardFolders()
    {
        string dir = TinyRuns.TempDirectory();
        string script = Path.Combine(dir, "tiny.slurm");
        var (code, text) = CliProcess.Run("study", "plan", "data-quality", "--scale", "paper", "--slurm", "--shards", "4", "--out", "/scratch/dq", "--script", script);
        Assert.True(code == 0, text);
        string body = File.ReadAllText(script);
        Assert.Contains("#SBATCH --array=1-4", body);
        Assert.Contains("--shard \"$SLURM_ARRAY_TASK_ID/4\" --out \"/scratch/dq/shard-$SLURM_ARRAY_TASK_ID\"", body);
        Assert.Contains("--scale paper --device cuda", body);
    }

    [Fact]
    public void JobsTrainRunsInParallelChildProcessesThatShareTheStore()
    {
        string dir = TinyRuns.TempDirectory();
        string study = TinyStudy.Write(dir);
        string output = Path.Combine(dir, "out");
        var (code, text) = CliProcess.Run("study", "run", study, "--out", output, "--jobs", "2");
        Assert.True(code == 0, text);
        Assert.Equal(3, Finished(output));
        Assert.Contains("2 at a time, 1 thread(s) each", text.Replace("\n", " ", StringComparison.Ordinal));
        using var store = StudyStore.OpenExisting(output);
        Assert.All(store.Records(), r => Assert.Contains("\"threads\": 1", r.ResolvedConfigJson));
    }

    [Fact]
    public void ChildRunsOfAParallelStudyKilledWithSigkillStopWithACheckpointAndTheSameCommandResumesThem()
    {
        string dir = TinyRuns.TempDirectory();
        // 300 steps a run: a child still has most of its run ahead when the parent dies, so an orphan that went on would finish it.
        string study = TinyStudy.Write(dir, axes: """[ { "key": "training.learningRate", "values": [0.001, 0.002, 0.003] } ]""", samples: 64 * 300, checkpointEvery: 20);
        string output = Path.Combine(dir, "out");
        var runs = TinyStudy.Load(study).Runs.Select(r => r.RunId).ToList();
        string[] command = ["study", "run", study, "--scale", "cpu", "--out", output, "--jobs", "2"];

        Dictionary<int, string> children; // child pid -> the run it trains
        using (var process = CliProcess.Start(command))
        {
            _ = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow.AddMinutes(5);
            while (!process.HasExited && DateTime.UtcNow < deadline && !runs.Any(r => Checkpoint.FindLatest(StudyRunner.RunFolder(output, r)) is not null))
                Thread.Sleep(10);
            children = ChildRuns(process.Id);
            process.Kill(); // SIGKILL to the parent alone: it cannot forward anything to its children
            process.WaitForExit();
        }
        Assert.NotEmpty(children);

        var exitDeadline = DateTime.UtcNow.AddMinutes(2);
        while (children.Keys.Any(IsAlive) && DateTime.UtcNow < exitDeadline) Thread.Sleep(50);
        Assert.False(children.Keys.Any(IsAlive), "the children of a killed study must stop on their own");
        using (var store = File.Exists(Path.Combine(output, StudyStore.FileName)) ? StudyStore.OpenExisting(output) : null)
        {
            var finished = store?.FinishedRunIds() ?? new HashSet<string>();
            foreach (string run in children.Values)
            {
                // Stopped early, not trained to the end by an orphan, and its work kept in a checkpoint.
                Assert.DoesNotContain(run, finished);
                Assert.NotNull(Checkpoint.FindLatest(StudyRunner.RunFolder(output, run)));
            }
        }

        var (code, text) = CliProcess.Run(command);
        Assert.True(code == 0, text);
        Assert.Equal(3, Finished(output));
        foreach (string run in children.Values) Assert.Contains($"{run}: resuming from its checkpoint", text);
    }

    [Fact]
    public void AFailedChildRunIsReportedOnceWithItsOwnReason()
    {
        string dir = TinyRuns.TempDirectory();
        // A learning rate of 10 (the largest valid) diverges within the run's 60 steps.
        string study = TinyStudy.Write(dir, axes: """[ { "key": "training.learningRate", "values": [10] } ]""", samples: 64 * 60);
        var (code, _, stderr) = CliProcess.RunSeparately("study", "run", study, "--out", Path.Combine(dir, "out"), "--jobs", "2");
        Assert.Equal(2, code);
        string line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith("error: run learningRate-10_seed-0 failed: ", line);
        Assert.Contains("training.learningRate", line); // the trainer's own advice survives
        Assert.Contains("(its child process exited with code 2)", line);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "failed: "));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(line, "run folder "));
    }

    /// <summary>The study child processes of <paramref name="parent"/> (from /proc), with the run id each was given by --only.</summary>
    private static Dictionary<int, string> ChildRuns(int parent)
    {
        var result = new Dictionary<int, string>();
        foreach (string task in Directory.GetDirectories($"/proc/{parent}/task"))
        foreach (string pid in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            int only = Array.IndexOf(args, "--only");
            if (only >= 0) result[int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture)] = args[only + 1];
        }
        return result;
    }

    /// <summary>Whether the process runs: a zombie (exited, not yet reaped by its new parent) does not.</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false; // gone from /proc
        }
    }

    private static int Finished(string output)
    {
        if (!File.Exists(Path.Combine(output, StudyStore.FileName))) return 0;
        try
        {
            using var store = StudyStore.OpenExisting(output);
            return store.FinishedRunIds().Count;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // being created by the child at this moment
        }
    }
}
