using ClipLab.Training;

namespace ClipLab.Studies;

/// <summary>Trains and evaluates one run of a study in its folder (in this process, or in a child process for parallel jobs).</summary>
public interface IStudyRunExecutor
{
    /// <summary>
    /// Trains <paramref name="run"/> in <paramref name="runFolder"/> (resuming from its checkpoint when there is one),
    /// evaluates it and returns its row; null when cancelled (the checkpoint stays for the next attempt).
    /// </summary>
    StudyRunRecord? Execute(PlannedRun run, string runFolder, Action<bool> onStart, Action<TrainingProgress> onProgress, Action onEvaluating,
        CancellationToken cancellation);
}
