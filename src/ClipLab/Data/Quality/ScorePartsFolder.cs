using System.Globalization;
using ClipLab.IO;

namespace ClipLab.Data.Quality;

/// <summary>
/// The saved work of an unfinished scoring run, beside the output: <c>{output}.parts/</c> holds <c>job.json</c> (the
/// run's <see cref="ScoringIdentity"/>) and one <see cref="ScoreFile"/> per finished part, <c>part-00000.parquet</c>,
/// each written atomically. A killed run leaves only whole part files, and a rerun with the same identity skips them.
/// </summary>
public sealed class ScorePartsFolder
{
    private const string JobFile = "job.json";

    /// <summary>The parts folder of the score file <paramref name="outputPath"/>.</summary>
    public ScorePartsFolder(string outputPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        FolderPath = Path.GetFullPath(outputPath) + ".parts";
    }

    /// <summary>Full path of the folder.</summary>
    public string FolderPath { get; }

    /// <summary>True when an earlier run left saved parts.</summary>
    public bool Exists => Directory.Exists(FolderPath);

    /// <summary>
    /// Makes the folder ready for a run of <paramref name="identity"/>: creates it, or checks that the parts already
    /// there were made by a run of the same identity, and removes temporary files a killed write left behind.
    /// </summary>
    /// <exception cref="InvalidOperationException">The saved parts belong to a run with another identity.</exception>
    public void Open(ScoringIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        string job = Path.Combine(FolderPath, JobFile);
        if (File.Exists(job))
        {
            if (File.ReadAllText(job) != identity.ToJson())
                throw new InvalidOperationException(
                    $"{FolderPath} holds the saved parts of another scoring run (a different model, data, batch size or image pipeline). " +
                    "Rerun the command that made them to finish that run, or delete the folder to start this one over.");
        }
        else
        {
            // No job file means no part was written yet (parts come after it): start clean.
            if (Directory.Exists(FolderPath)) Directory.Delete(FolderPath, recursive: true);
            Directory.CreateDirectory(FolderPath);
            AtomicFile.WriteAllText(job, identity.ToJson());
        }
        foreach (string temp in Directory.GetFiles(FolderPath, ".*.tmp")) File.Delete(temp);
    }

    /// <summary>True when part <paramref name="index"/> is saved.</summary>
    public bool HasPart(int index) => File.Exists(PartPath(index));

    /// <summary>Reads saved part <paramref name="index"/>.</summary>
    public ScoreFile ReadPart(int index) => ScoreFile.Read(PartPath(index));

    /// <summary>Saves part <paramref name="index"/> atomically.</summary>
    public void WritePart(int index, ScoreFile part)
    {
        ArgumentNullException.ThrowIfNull(part);
        part.Write(PartPath(index));
    }

    /// <summary>Removes the folder (after the merged output is safely written).</summary>
    public void Delete()
    {
        if (Directory.Exists(FolderPath)) Directory.Delete(FolderPath, recursive: true);
    }

    private string PartPath(int index) => Path.Combine(FolderPath, $"part-{index.ToString("D5", CultureInfo.InvariantCulture)}.parquet");
}
