using System.Text;
using ClipLab.Data.Sources;

namespace ClipLab.Data.WebDataset;

/// <summary>
/// Reads one WebDataset shard into <see cref="RawSample"/>s: consecutive members with the same
/// <see cref="MemberName.Key"/> form a sample; the image is the member with extension jpg, jpeg, png, webp, gif
/// or bmp (first of these), the caption is <c>txt</c> (UTF-8, trimmed), metadata is <c>json</c>.
/// </summary>
/// <remarks>
/// Unusable samples are counted with <see cref="BadSampleCounter.CountBad"/> (origin <c>shard:member</c>) and
/// skipped: image without txt → <see cref="SkipReason.MissingCaption"/>; a sample without an image →
/// <see cref="SkipReason.MissingImage"/>; blank caption → <see cref="SkipReason.EmptyCaption"/>; image member whose
/// bytes are no known image format → <see cref="SkipReason.NotAnImage"/>; archive cut short or with a corrupt
/// header → <see cref="SkipReason.TruncatedArchive"/>, and missing or unreadable file →
/// <see cref="SkipReason.UnreadableFile"/>, each counted as the samples the shard lost (the incomplete last sample
/// included; see <see cref="ShardExpectations"/>), all at once. Nothing is thrown for bad data, except
/// the <see cref="BadDataException"/> the counter raises when too much is bad. Good samples are not counted here:
/// the loader calls <see cref="BadSampleCounter.CountGood"/> once a sample has decoded.
/// A member name repeated within a sample keeps its first occurrence; members without a dot in their file
/// name are ignored, as WebDataset does.
/// </remarks>
public static class ShardSampleReader
{
    /// <summary>
    /// Streams the samples of the shard at <paramref name="shard"/> (the path is also used in origins).
    /// <paramref name="expectations"/> says what the shard should hold, for counting what a damaged shard lost;
    /// by default the manifest beside the shard. <paramref name="filter"/> leaves samples out by key before they are
    /// checked (they are then not counted as bad), and scales the count of samples a damaged shard lost to its share.
    /// </summary>
    public static IEnumerable<RawSample> Read(string shard, BadSampleCounter bad, CancellationToken cancellation = default,
        ShardExpectations? expectations = null, SampleKeyFilter? filter = null)
    {
        ArgumentNullException.ThrowIfNull(shard);
        ArgumentNullException.ThrowIfNull(bad);
        return Iterate(shard, bad, expectations ?? ShardExpectations.For(shard), filter ?? SampleKeyFilter.All, cancellation);
    }

    private static IEnumerable<RawSample> Iterate(string shard, BadSampleCounter bad, ShardExpectations expectations, SampleKeyFilter filter,
        CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        Stream? stream = Open(shard, bad, expectations, filter);
        if (stream is null) yield break;
        using var reader = new TarReader(stream);
        string? key = null;
        long samples = 0; // samples met in the shard, good or bad
        var members = new Dictionary<string, TarEntry>(StringComparer.Ordinal);
        foreach (TarEntry entry in reader.Entries())
        {
            cancellation.ThrowIfCancellationRequested();
            if (MemberName.Parse(entry.Name) is not { } name) continue;
            if (key != null && name.Key != key)
            {
                samples++;
                if (filter.Keeps(key) && Assemble(shard, key, members, bad) is { } sample) yield return sample;
                members.Clear();
            }
            key = name.Key;
            members.TryAdd(name.Extension, entry);
        }
        if (reader.Problem is not null)
        {
            // The sample being read when the archive broke may be incomplete: drop it, and count it with every
            // sample after it as lost, so that the bad-data threshold sees what the cut really cost.
            var loss = expectations.Lost(shard, samples, reader.BytesRead, FileLength(stream));
            string where = reader.ProblemMember is { } member ? $"{shard}:{member}" : shard;
            long lost = filter.ShareOf(loss.Samples);
            if (lost > 0)
                bad.CountBad(reader.ReadFailed ? SkipReason.UnreadableFile : SkipReason.TruncatedArchive,
                    $"{where} ({reader.Problem}; {loss.Basis})", shard, lost);
            yield break;
        }
        if (key != null)
        {
            samples++;
            if (filter.Keeps(key) && Assemble(shard, key, members, bad) is { } last) yield return last;
        }
        expectations.RecordComplete(reader.BytesRead, samples);
    }

    private static Stream? Open(string shard, BadSampleCounter bad, ShardExpectations expectations, SampleKeyFilter filter)
    {
        try
        {
            return new FileStream(shard, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            var loss = expectations.Lost(shard, samplesRead: 0, bytesRead: 0, fileBytes: 0);
            long lost = filter.ShareOf(loss.Samples);
            if (lost > 0) bad.CountBad(SkipReason.UnreadableFile, $"{shard} ({ex.Message}; {loss.Basis})", shard, lost);
            return null;
        }
    }

    private static long FileLength(Stream stream)
    {
        try { return stream.Length; }
        catch (Exception ex) when (ex is IOException or NotSupportedException or ObjectDisposedException) { return 0; }
    }

    private static RawSample? Assemble(string shard, string key, Dictionary<string, TarEntry> members, BadSampleCounter bad)
    {
        string? imageExtension = ImageSignature.Extensions.FirstOrDefault(members.ContainsKey);
        members.TryGetValue("txt", out TarEntry? text);
        if (imageExtension is null)
        {
            bad.CountBad(SkipReason.MissingImage, $"{shard}:{(text ?? members.Values.First()).Name}", shard);
            return null;
        }
        TarEntry image = members[imageExtension];
        if (text is null)
        {
            bad.CountBad(SkipReason.MissingCaption, $"{shard}:{image.Name}", shard);
            return null;
        }
        string? format = ImageSignature.Resolve(imageExtension, image.Data);
        if (format is null)
        {
            bad.CountBad(SkipReason.NotAnImage, $"{shard}:{image.Name}", shard);
            return null;
        }
        string caption = DecodeUtf8(text.Data).Trim();
        if (caption.Length == 0)
        {
            bad.CountBad(SkipReason.EmptyCaption, $"{shard}:{text.Name}", shard);
            return null;
        }
        string? json = members.TryGetValue("json", out TarEntry? meta) ? DecodeUtf8(meta.Data) : null;
        return new RawSample(key, format, image.Data, caption, json, $"{shard}:{image.Name}", shard);
    }

    private static string DecodeUtf8(byte[] data) =>
        Encoding.UTF8.GetString(data.AsSpan().StartsWith("\uFEFF"u8) ? data.AsSpan(3) : data);
}
