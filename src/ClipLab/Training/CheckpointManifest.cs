using System.Security.Cryptography;
using System.Text.Json;
using ClipLab.Configuration;

namespace ClipLab.Training;

/// <summary>
/// The list of a checkpoint's files with their sizes and SHA-256 hashes (<c>manifest.json</c>). It is written last,
/// before the checkpoint folder is renamed into place, and checked before anything is loaded, so a file truncated,
/// deleted or overwritten after the save is reported by name instead of failing somewhere inside a reader.
/// Checkpoints written before manifests existed have none and still load.
/// </summary>
/// <param name="Files">Each file of the checkpoint, by name.</param>
public sealed record CheckpointManifest(IReadOnlyList<CheckpointFileEntry> Files)
{
    /// <summary>The manifest's file name inside a checkpoint folder.</summary>
    public const string FileName = "manifest.json";

    /// <summary>Describes the files <paramref name="names"/> of <paramref name="folder"/> as they are on disk now.</summary>
    public static CheckpointManifest Describe(string folder, IEnumerable<string> names) =>
        new(names.Select(name =>
        {
            string path = Path.Combine(folder, name);
            return new CheckpointFileEntry(name, new FileInfo(path).Length, Sha256(path));
        }).ToArray());

    /// <summary>
    /// The first thing wrong with <paramref name="folder"/>, or null when it is intact: checked against its manifest,
    /// or, for a checkpoint without one, only that each of <paramref name="requiredWithoutManifest"/> is there.
    /// </summary>
    public static CheckpointProblem? Check(string folder, IEnumerable<string> requiredWithoutManifest)
    {
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
        {
            string? missing = requiredWithoutManifest.FirstOrDefault(name => !File.Exists(Path.Combine(folder, name)));
            return missing is null ? null : new CheckpointProblem(missing, "is missing");
        }
        CheckpointManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CheckpointManifest>(File.ReadAllText(path), ConfigJson.Options);
        }
        catch (JsonException ex)
        {
            return new CheckpointProblem(FileName, $"is not valid JSON ({ex.Message.Split(" Path:")[0]})");
        }
        if (manifest?.Files is not { Count: > 0 } files || files.Any(f => string.IsNullOrEmpty(f?.Name) || string.IsNullOrEmpty(f.Sha256)))
            return new CheckpointProblem(FileName, "lists no files or has entries without a name or hash");
        foreach (var file in files) if (manifest.CheckFile(folder, file) is { } problem) return problem;
        return null;
    }

    private CheckpointProblem? CheckFile(string folder, CheckpointFileEntry file)
    {
        string path = Path.Combine(folder, file.Name);
        if (!File.Exists(path)) return new CheckpointProblem(file.Name, "is missing");
        long size = new FileInfo(path).Length;
        if (size < file.Size)
            return new CheckpointProblem(file.Name, $"is truncated ({size:N0} of the {file.Size:N0} bytes {FileName} records)");
        if (size != file.Size)
            return new CheckpointProblem(file.Name, $"has {size:N0} bytes where {FileName} records {file.Size:N0}");
        if (!string.Equals(Sha256(path), file.Sha256, StringComparison.OrdinalIgnoreCase))
            return new CheckpointProblem(file.Name, $"does not match its SHA-256 in {FileName} (it was changed or damaged after the save)");
        return null;
    }

    /// <summary>The lower-case hex SHA-256 of a file.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}

/// <summary>One file of a <see cref="CheckpointManifest"/>.</summary>
/// <param name="Name">File name inside the checkpoint folder.</param>
/// <param name="Size">Size in bytes.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record CheckpointFileEntry(string Name, long Size, string Sha256);

/// <summary>What is wrong with one file of a checkpoint.</summary>
/// <param name="File">The file's name inside the checkpoint folder.</param>
/// <param name="Problem">What is wrong, as the end of a sentence that starts with the file name ("is missing").</param>
public sealed record CheckpointProblem(string File, string Problem);
