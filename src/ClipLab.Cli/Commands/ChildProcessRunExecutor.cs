using System.Diagnostics;
using ClipLab.Cli.Rendering;
using ClipLab.Studies;
using ClipLab.Training;

namespace ClipLab.Cli.Commands;

/// <summary>
/// Trains one run of a study in a child <c>cliplab study run … --only RUN</c> process, so parallel jobs have their own
/// libtorch thread pool and random state (both are per process). The child writes the run's row into the shared store;
/// its progress comes back as <see cref="ProgressLines"/>. Cancelling sends the child SIGTERM, which checkpoints and stops;
/// a parent killed outright is noticed by the child itself (<see cref="ParentProcessWatch"/>).
/// </summary>
internal sealed class ChildProcessRunExecutor(StudyDefinition study, string folder, string scale, int threads, string? device, string? precision)
    : IStudyRunExecutor
{
    public StudyRunRecord? Execute(PlannedRun run, string runFolder, Action<bool> onStart, Action<TrainingProgress> onProgress, Action onEvaluating,
        CancellationToken cancellation)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string entry = typeof(ChildProcessRunExecutor).Assembly.Location;
        // Under `dotnet ClipLab.Cli.dll` the process is the dotnet host, which needs the assembly first.
        if (!Path.GetFileNameWithoutExtension(Environment.ProcessPath!).Equals("ClipLab.Cli", StringComparison.Ordinal)) start.ArgumentList.Add(entry);
        foreach (string a in new[] { "study", "run", study.Source, "--scale", scale, "--out", folder, "--only", run.RunId,
                     "--threads", threads.ToString(System.Globalization.CultureInfo.InvariantCulture), "--progress-lines",
                     "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        if (device is not null) { start.ArgumentList.Add("--device"); start.ArgumentList.Add(device); }
        if (precision is not null) { start.ArgumentList.Add("--precision"); start.ArgumentList.Add(precision); }
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start a child process for run {run.RunId}");
        var errors = new System.Text.StringBuilder();
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (errors) errors.AppendLine(e.Data); };
        child.BeginErrorReadLine();
        // SIGTERM (through kill(1): .NET signals only its own process): the child checkpoints and stops.
        using var forward = cancellation.Register(() => Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])?.WaitForExit());
        string? line;
        while ((line = child.StandardOutput.ReadLine()) is not null)
        {
            if (ProgressLines.Parse(line) is not { } e) continue;
            switch (e.Kind)
            {
                case "started": onStart(e.Resumed); break;
                case "progress": onProgress(e.Progress!); break;
                case "evaluating": onEvaluating(); break;
            }
        }
        child.WaitForExit();
        if (cancellation.IsCancellationRequested) return null;
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"{ChildReason(run.RunId, LastLines(errors.ToString()))} (its child process exited with code {child.ExitCode})");
        using var store = StudyStore.OpenExisting(folder);
        return store.Records().FirstOrDefault(r => r.RunId == run.RunId)
            ?? throw new InvalidOperationException($"the child process of run {run.RunId} finished but left no row in {store.Path}");
    }

    /// <summary>The child's own error line without the "run … failed" frame it shares with ours, which would otherwise say it twice.</summary>
    private static string ChildReason(string runId, string reason)
    {
        string prefix = "error: " + StudyRunException.Headline(runId);
        if (reason.StartsWith(prefix, StringComparison.Ordinal)) reason = reason[prefix.Length..];
        int folder = reason.LastIndexOf(StudyRunException.FolderNotePrefix, StringComparison.Ordinal);
        return folder > 0 ? reason[..folder] : reason;
    }

    private static string LastLines(string text) => string.Join(" | ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(3)).Trim();
}
