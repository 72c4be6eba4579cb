namespace ClipLab.Studies;

/// <summary>A run of a study failed; names the run and its folder (the other runs' results are kept).</summary>
public sealed class StudyRunException : InvalidOperationException
{
    /// <summary>Wraps <paramref name="inner"/>, the failure of run <paramref name="runId"/>.</summary>
    public StudyRunException(string runId, string runFolder, Exception inner)
        : base($"{Headline(runId)}{inner?.Message}{FolderNotePrefix}{runFolder}; finished runs are kept, the same command continues)", inner)
    {
        RunId = runId;
        RunFolder = runFolder;
    }

    /// <summary>The start of the message: <c>run ID failed: </c>.</summary>
    public static string Headline(string runId) => $"run {runId} failed: ";

    /// <summary>Where the closing note on the run folder starts in the message.</summary>
    public const string FolderNotePrefix = " (run folder ";

    /// <summary>The run that failed.</summary>
    public string RunId { get; }

    /// <summary>Its folder.</summary>
    public string RunFolder { get; }
}
