namespace ClipLab.Training;

/// <summary>
/// A checkpoint file is missing, truncated or damaged. The message names the folder and the file, says what is wrong
/// and what to do: which earlier checkpoint is intact and how to continue from it, or that none is.
/// </summary>
public sealed class CorruptCheckpointException : IOException
{
    /// <summary>Creates the exception for <paramref name="file"/> of checkpoint <paramref name="folder"/>.</summary>
    public CorruptCheckpointException(string folder, string file, string problem, Exception? inner = null)
        : base($"checkpoint {folder} is unusable: {file} {problem}. {Checkpoint.RecoveryAdvice(folder)}", inner)
    {
        Folder = folder;
        File = file;
    }

    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; }

    /// <summary>The damaged file's name inside <see cref="Folder"/>.</summary>
    public string File { get; }
}
