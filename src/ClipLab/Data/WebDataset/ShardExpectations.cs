using System.Collections.Concurrent;

namespace ClipLab.Data.WebDataset;

/// <summary>
/// What the shards of a source should hold, so that a shard cut short (or gone) is counted as the samples it
/// lost rather than as one bad sample: the samples its <c>manifest.json</c> lists, or, for a shard no manifest
/// lists, an estimate from its size: the bytes it lacks against the typical (median) shard of the source,
/// divided by the mean bytes per sample read so far. Thread-safe: every reader of a source shares one.
/// </summary>
public sealed class ShardExpectations
{
    private readonly IReadOnlyList<string> _shards;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, long>?> _manifests = new(StringComparer.Ordinal);
    private readonly Lazy<long> _typicalBytes;
    private long _bytesRead, _samplesRead;

    /// <summary>Expectations for the shards of one source (their manifests are read when first needed).</summary>
    public ShardExpectations(IReadOnlyList<string> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        _shards = shards;
        _typicalBytes = new Lazy<long>(MedianShardBytes);
    }

    /// <summary>Expectations for a shard read on its own (its manifest, else no size to compare with).</summary>
    public static ShardExpectations For(string shard) => new([shard]);

    /// <summary>The samples <c>manifest.json</c> beside <paramref name="shard"/> lists for it, or null when no readable manifest lists it.</summary>
    public long? ListedSamples(string shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        string dir = Path.GetDirectoryName(Path.GetFullPath(shard)) ?? "";
        var listed = _manifests.GetOrAdd(dir, _ => ShardManifest.TryLoadBeside(shard)?.Shards
            .GroupBy(s => s.File, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Samples, StringComparer.Ordinal));
        return listed is not null && listed.TryGetValue(Path.GetFileName(shard), out long n) ? n : null;
    }

    /// <summary>The median size in bytes of the source's shards that exist (0 when none does).</summary>
    public long TypicalBytes => _typicalBytes.Value;

    /// <summary>Records a shard read to its end: its bytes and samples feed the bytes-per-sample estimate.</summary>
    public void RecordComplete(long bytes, long samples)
    {
        Interlocked.Add(ref _bytesRead, bytes);
        Interlocked.Add(ref _samplesRead, samples);
    }

    /// <summary>
    /// How many samples <paramref name="shard"/> lost when reading stopped after <paramref name="samplesRead"/> samples
    /// (good or bad) and <paramref name="bytesRead"/> bytes, the file being <paramref name="fileBytes"/> long (0 when it
    /// could not be opened). At least one: the sample being read when the shard broke is always lost.
    /// </summary>
    public ShardLoss Lost(string shard, long samplesRead, long bytesRead, long fileBytes)
    {
        if (ListedSamples(shard) is long listed)
        {
            long lost = Math.Max(1, listed - samplesRead);
            return new ShardLoss(lost, $"{lost:N0} of the {listed:N0} samples its manifest lists are lost");
        }
        long samples = Interlocked.Read(ref _samplesRead) + samplesRead;
        long bytes = Interlocked.Read(ref _bytesRead) + bytesRead;
        long missingBytes = TypicalBytes - fileBytes;
        if (samples > 0 && bytes > 0 && missingBytes > 0)
        {
            double bytesPerSample = (double)bytes / samples;
            long lost = Math.Max(1, (long)Math.Round(missingBytes / bytesPerSample));
            return new ShardLoss(lost, $"about {lost:N0} samples lost, estimated without a manifest: {missingBytes:N0} bytes short of the " +
                                       $"median shard at {bytesPerSample:N0} bytes per sample read");
        }
        return new ShardLoss(1, "at least 1 sample lost; without a manifest or other shards to compare sizes with, the rest is unknown");
    }

    private long MedianShardBytes()
    {
        var sizes = _shards.Distinct(StringComparer.Ordinal).Select(SizeOrNull).OfType<long>().Order().ToList();
        return sizes.Count == 0 ? 0 : sizes[sizes.Count / 2];
    }

    private static long? SizeOrNull(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Exists ? info.Length : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
