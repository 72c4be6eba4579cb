using System.Text.Json;
using System.Text.Json.Serialization;
using ClipLab.IO;

namespace ClipLab.Data.WebDataset;

/// <summary>One shard as listed in a <see cref="ShardManifest"/>.</summary>
/// <param name="File">File name of the shard, relative to the manifest's folder.</param>
/// <param name="Samples">Samples in the shard.</param>
/// <param name="Bytes">Size of the shard file.</param>
/// <param name="Sha256">SHA-256 of the shard file, lower-case hex.</param>
public sealed record ShardInfo(string File, long Samples, long Bytes, string Sha256);

/// <summary>
/// <c>manifest.json</c> beside a set of shards: how many samples there are in total and per shard, with sizes
/// and checksums, so readers know the epoch length without scanning and can verify copies.
/// </summary>
/// <param name="TotalSamples">Sum of <see cref="ShardInfo.Samples"/>.</param>
/// <param name="Shards">The shards in write order.</param>
public sealed record ShardManifest(long TotalSamples, IReadOnlyList<ShardInfo> Shards)
{
    /// <summary>The manifest's file name.</summary>
    public const string FileName = "manifest.json";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid manifest (message names the file).</exception>
    public static ShardManifest Load(string path)
    {
        ShardManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a valid shard manifest: {ex.Message}", ex);
        }
        if (manifest?.Shards is null || manifest.Shards.Any(s => s is null || string.IsNullOrEmpty(s.File) || s.Samples < 0))
            throw new InvalidDataException($"{path} is not a valid shard manifest: missing or invalid 'shards'");
        if (manifest.Shards.Sum(s => s.Samples) != manifest.TotalSamples)
            throw new InvalidDataException($"{path}: totalSamples {manifest.TotalSamples} differs from the sum over shards {manifest.Shards.Sum(s => s.Samples)}");
        return manifest;
    }

    /// <summary>Writes the manifest atomically (readers never see a partial file).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, JsonOptions) + "\n");

    /// <summary>The manifest in the folder of <paramref name="shardPath"/>, or null if there is none or it cannot be read.</summary>
    public static ShardManifest? TryLoadBeside(string shardPath)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(shardPath));
        if (dir is null) return null;
        string path = Path.Combine(dir, FileName);
        try
        {
            return File.Exists(path) ? Load(path) : null;
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null; // a count is a convenience; a broken manifest must not stop reading the shards
        }
    }
}
