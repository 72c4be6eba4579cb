namespace ClipLab.Studies;

/// <summary>A run of a study failed; names the run and its folder (the other runs' results are kept).</summary>
public sealed class StudyRunException : InvalidOperationException
{
    /// <summary>Wraps <paramref name="inner"/>, the failure of run <paramref name="runId"/>.</summary>
    public StudyRunException(string runId, string runFolder, Exception inner)
        : base($"run {runId} failed: {inner?.Message} (run folder {runFolder}; finished runs are kept, the same command continues)", inner)
    {
        RunId = runId;
        RunFolder = runFolder;
    }

    /// <summary>The run that failed.</summary>
    public string RunId { get; }

    /// <summary>Its folder.</summary>
    public string RunFolder { get; }
}
