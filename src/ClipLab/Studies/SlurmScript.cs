using System.Globalization;
using System.Text;

namespace ClipLab.Studies;

/// <summary>
/// A Slurm job-array script for a study: task <c>i</c> of <c>n</c> runs <c>cliplab study run … --shard i/n</c> into its own
/// folder (<c>&lt;out&gt;/shard-i</c>), so tasks never share a store; <c>cliplab study merge</c> then combines them.
/// Re-submitting the same script resumes each shard where it stopped.
/// </summary>
public static class SlurmScript
{
    /// <summary>The script's text.</summary>
    /// <param name="study">The study (its file is what the tasks run).</param>
    /// <param name="shards">Array tasks (at most the number of runs).</param>
    /// <param name="outFolder">The study folder on the cluster's shared file system.</param>
    /// <param name="cliplab">The command that starts ClipLab on the nodes (e.g. <c>./cliplab</c>).</param>
    /// <param name="device">The device each task trains on (e.g. <c>cuda</c>).</param>
    /// <param name="gpusPerTask">GPUs requested per task (0 for CPU-only tasks).</param>
    /// <param name="hours">Wall-time limit per task in hours.</param>
    public static string Write(StudyDefinition study, int shards, string outFolder, string cliplab = "./cliplab", string device = "cuda",
        int gpusPerTask = 1, int hours = 24)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "at least one shard");
        shards = Math.Min(shards, study.Runs.Count);
        string n = shards.ToString(CultureInfo.InvariantCulture);
        var s = new StringBuilder();
        s.AppendLine("#!/bin/bash");
        s.AppendLine($"# Study {study.Name}, scale {study.Scale}: {study.Runs.Count} runs in {n} array tasks. Written by `cliplab study plan --slurm`.");
        s.AppendLine($"# Submit: sbatch {study.Name}-{study.Scale}.slurm   then: {cliplab} study merge {outFolder}/merged {outFolder}/shard-*");
        s.AppendLine($"#SBATCH --job-name=cliplab-{study.Name}");
        s.AppendLine($"#SBATCH --array=1-{n}");
        s.AppendLine($"#SBATCH --time={hours:D2}:00:00");
        if (gpusPerTask > 0) s.AppendLine($"#SBATCH --gpus-per-task={gpusPerTask}");
        s.AppendLine($"#SBATCH --output={outFolder}/logs/%x-%a.out");
        // Requeued or preempted tasks resume: the study is resumable as a whole.
        s.AppendLine("#SBATCH --requeue");
        s.AppendLine("set -euo pipefail");
        s.AppendLine($"mkdir -p {outFolder}/logs");
        s.AppendLine($"exec {cliplab} study run {Quote(study.Source)} --scale {study.Scale} --device {device} \\");
        s.AppendLine($"    --shard \"$SLURM_ARRAY_TASK_ID/{n}\" --out \"{outFolder}/shard-$SLURM_ARRAY_TASK_ID\"");
        return s.ToString();
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;
}
