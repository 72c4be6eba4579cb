using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClipLab.Data.WebDataset;
using ClipLab.IO;

namespace ClipLab.Data.Quality;

/// <summary>What <see cref="QualityFilter.Write"/> produced.</summary>
/// <param name="Shards">The shards and manifest written (paths in the final folder).</param>
/// <param name="Selection">The selection that was applied.</param>
/// <param name="SelectionPath">Full path of <c>selection.json</c>, the record of how the subset was made.</param>
public sealed record QualityFilterResult(ShardWriterResult Shards, QualitySelection Selection, string SelectionPath);

/// <summary>
/// Writes the rows a <see cref="QualitySelection"/> keeps as a new WebDataset shard set: each kept sample's members
/// (image, <c>txt</c>, <c>json</c> and any others) are copied byte for byte from the shard its score row names, in
/// the data's stored order, through <see cref="ShardWriter"/> (so the set gets a <c>manifest.json</c>), plus a
/// <c>selection.json</c> recording the score file, the rule, the cut and the counts.
/// </summary>
/// <remarks>
/// The set is assembled in a temporary folder beside the output and renamed into place when complete, so an
/// output folder is either absent or whole. The output must not exist yet (or be empty): filtering never
/// overwrites data.
/// </remarks>
public static class QualityFilter
{
    /// <summary>File name of the selection record in the output folder.</summary>
    public const string SelectionFile = "selection.json";

    // A record for people to read: paths and captions as they are, not \u-escaped.
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Copies the samples <paramref name="selection"/> keeps from <paramref name="scores"/> into shards
    /// <c>{prefix}-NNNNN.tar</c> of <paramref name="perShard"/> samples in <paramref name="outDir"/>.
    /// <paramref name="onShardRead"/> is told each source shard once it has been read.
    /// </summary>
    /// <exception cref="IOException"><paramref name="outDir"/> exists and is not empty.</exception>
    /// <exception cref="FileNotFoundException">A shard named by a kept row does not exist.</exception>
    /// <exception cref="InvalidDataException">A kept row names a source that is not a shard file, or a sample that its shard no longer holds.</exception>
    public static QualityFilterResult Write(ScoreFile scores, QualitySelection selection, string outDir, string scoresPath = "",
        string prefix = "shard", int perShard = ShardWriter.DefaultPerShard, Action<string>? onShardRead = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentException.ThrowIfNullOrWhiteSpace(outDir);
        string final = Path.GetFullPath(outDir);
        if (Directory.Exists(final) && Directory.EnumerateFileSystemEntries(final).Any())
            throw new IOException($"{final} already exists and is not empty: write the subset to a new folder, or delete this one first");
        if (File.Exists(final)) throw new IOException($"{final} is a file: the subset needs a new folder");

        // Kept keys per shard, shards in the order the score file first lists them (the data's order).
        var keysByShard = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var shardOrder = new List<string>();
        foreach (int row in selection.Rows)
        {
            var pair = scores.Pairs[row];
            if (!keysByShard.TryGetValue(pair.Shard, out var keys))
            {
                keysByShard[pair.Shard] = keys = new HashSet<string>(StringComparer.Ordinal);
                shardOrder.Add(pair.Shard);
            }
            keys.Add(pair.Key);
        }
        foreach (string shard in shardOrder) CheckShard(shard);

        string temp = $"{final}.partial-{Environment.ProcessId}";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        try
        {
            ShardWriterResult written;
            using (var writer = new ShardWriter(temp, prefix, perShard))
            {
                foreach (string shard in shardOrder)
                {
                    var wanted = keysByShard[shard];
                    foreach (var sample in ShardSampleMembers.Read(shard))
                        if (wanted.Remove(sample.Key)) writer.WriteMembers(sample.Key, sample.Members);
                    if (wanted.Count > 0)
                        throw new InvalidDataException(
                            $"{wanted.Count:N0} kept sample(s) of {shard} are not in it any more (first: '{wanted.First()}'): the shard changed since it was scored. " +
                            "Score the data again (cliplab data score), then filter.");
                    onShardRead?.Invoke(shard);
                }
                written = writer.Finish();
            }
            string selectionPath = Path.Combine(temp, SelectionFile);
            AtomicFile.WriteAllText(selectionPath, JsonSerializer.Serialize(new
            {
                scores = scoresPath,
                rule = selection.Rule,
                cut = float.IsNaN(selection.Cut) ? (float?)null : selection.Cut,
                kept = selection.Rows.Count,
                total = selection.Total,
                tiedLeftOut = selection.TiedLeftOut,
                scoring = ScoringRecord(scores),
            }, JsonOptions) + "\n");
            if (Directory.Exists(final)) Directory.Delete(final); // empty, checked above
            Directory.Move(temp, final);
            return new QualityFilterResult(Relocate(written, final), selection, Path.Combine(final, SelectionFile));
        }
        catch
        {
            try { if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true); } catch (IOException) { }
            throw;
        }
    }

    /// <summary>The scoring identity stored in the score file, as JSON to embed; null for files made elsewhere.</summary>
    private static JsonNode? ScoringRecord(ScoreFile scores)
    {
        if (!scores.Metadata.TryGetValue(ScoringIdentity.MetadataKey, out string? json)) return null;
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    private static void CheckShard(string shard)
    {
        if (File.Exists(shard)) return;
        if (!shard.Contains(".tar", StringComparison.OrdinalIgnoreCase))
            throw new InvalidDataException(
                $"the score file's rows come from '{shard}', which is not a shard file: only scores of WebDataset shards can be filtered into shards. " +
                $"Convert the source first (cliplab data shards --from {shard} --out DIR), score those shards, then filter.");
        throw new FileNotFoundException($"shard {shard}, named in the score file, does not exist: the data moved or was deleted since scoring. " +
            "Put it back, or score the data where it is now.", shard);
    }

    private static ShardWriterResult Relocate(ShardWriterResult result, string folder)
    {
        string Move(string path) => Path.Combine(folder, Path.GetFileName(path));
        return new ShardWriterResult(result.Manifest, Move(result.ManifestPath), result.ShardPaths.Select(Move).ToList(),
            result.Pattern.Length == 0 ? "" : Move(result.Pattern));
    }
}
