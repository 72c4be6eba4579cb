using System.Collections.Concurrent;

namespace ClipLab.Data;

/// <summary>
/// Counts good and skipped samples by reason (thread-safe), remembering the first place each reason was
/// seen and how many bad samples each file (shard) gave, and stops a run once more than a tolerated fraction
/// of samples is bad. Samples lost with a damaged or missing file count as bad, as many as were lost.
/// </summary>
public sealed class BadSampleCounter
{
    /// <summary>Files named in the too-much-bad-data message, worst first.</summary>
    public const int WorstFilesShown = 3;

    private readonly ConcurrentDictionary<SkipReason, long> _counts = new();
    private readonly ConcurrentDictionary<SkipReason, string> _firstOrigin = new();
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<SkipReason, long>> _byFile = new(StringComparer.Ordinal);
    private long _good, _bad;
    private volatile LatestBad? _latest; // a reference, so that reason and origin are read together

    /// <summary>Creates a counter that tolerates up to <paramref name="maxBadFraction"/> bad samples once at least <paramref name="minSamples"/> were seen.</summary>
    public BadSampleCounter(double maxBadFraction = 0.01, long minSamples = 200)
    {
        if (maxBadFraction < 0 || maxBadFraction > 1) throw new ArgumentOutOfRangeException(nameof(maxBadFraction), "must be in [0, 1]");
        MaxBadFraction = maxBadFraction;
        MinSamples = minSamples;
    }

    /// <summary>Largest tolerated fraction of bad samples.</summary>
    public double MaxBadFraction { get; }

    /// <summary>Samples to see before the fraction is enforced (so one early bad file does not stop a run).</summary>
    public long MinSamples { get; }

    /// <summary>Samples that were usable.</summary>
    public long Good => Interlocked.Read(ref _good);

    /// <summary>Samples skipped or lost, all reasons.</summary>
    public long Bad => Interlocked.Read(ref _bad);

    /// <summary>
    /// The fraction of the samples met so far that were usable (1 before any was met): what is left of an epoch
    /// once bad and lost samples are taken out of it.
    /// </summary>
    public double GoodFraction
    {
        get
        {
            long good = Good, total = good + Bad;
            return total == 0 ? 1.0 : (double)good / total;
        }
    }

    /// <summary>Skipped samples by reason.</summary>
    public IReadOnlyDictionary<SkipReason, long> ByReason => new SortedDictionary<SkipReason, long>(_counts);

    /// <summary>Records a usable sample.</summary>
    /// <exception cref="BadDataException">Bad samples counted before <see cref="MinSamples"/> were reached are more than <see cref="MaxBadFraction"/> of them.</exception>
    public void CountGood()
    {
        long good = Interlocked.Increment(ref _good), bad = Bad;
        // Good samples only lower the fraction, but the check starts at MinSamples: a shard lost early must still count.
        if (bad > 0) ThrowIfTooMuchBad(bad, good + bad);
    }

    /// <summary>
    /// Records <paramref name="samples"/> skipped or lost samples of one reason (several when a damaged file lost
    /// them all at once) and stops the run if too many are bad. <paramref name="file"/>, when given, is the file
    /// (shard) they belong to, tallied so that the worst files can be named.
    /// </summary>
    /// <exception cref="BadDataException">More than <see cref="MaxBadFraction"/> of the samples are bad.</exception>
    public void CountBad(SkipReason reason, string origin, string? file = null, long samples = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        _counts.AddOrUpdate(reason, samples, (_, n) => n + samples);
        _firstOrigin.TryAdd(reason, origin);
        if (file is not null)
            _byFile.GetOrAdd(file, _ => new ConcurrentDictionary<SkipReason, long>()).AddOrUpdate(reason, samples, (_, n) => n + samples);
        _latest = new LatestBad(reason, origin);
        long bad = Interlocked.Add(ref _bad, samples);
        ThrowIfTooMuchBad(bad, bad + Good);
    }

    /// <summary>The files with the most bad samples, worst first (ties by name).</summary>
    public IReadOnlyList<BadFileTally> WorstFiles(int count) => _byFile
        .Select(kv => new BadFileTally(kv.Key, new SortedDictionary<SkipReason, long>(kv.Value)))
        .OrderByDescending(f => f.Bad).ThenBy(f => f.File, StringComparer.Ordinal)
        .Take(count).ToList();

    /// <summary>"corrupt image: 3, empty caption: 1" (or "none").</summary>
    public string Summary() => _counts.IsEmpty
        ? "none"
        : string.Join(", ", ByReason.Select(kv => $"{Describe(kv.Key)}: {kv.Value:N0} (first in {_firstOrigin[kv.Key]})"));

    /// <summary>A readable name of a skip reason.</summary>
    public static string Describe(SkipReason reason) => reason switch
    {
        SkipReason.CorruptImage => "corrupt image",
        SkipReason.NotAnImage => "not an image",
        SkipReason.ImageTooLarge => "image too large",
        SkipReason.EmptyCaption => "empty caption",
        SkipReason.MissingCaption => "image without caption",
        SkipReason.MissingImage => "caption without image",
        SkipReason.TruncatedArchive => "truncated tar shard",
        SkipReason.UnreadableFile => "unreadable file",
        _ => reason.ToString(),
    };

    private sealed record LatestBad(SkipReason Reason, string Origin);

    private void ThrowIfTooMuchBad(long bad, long total)
    {
        if (total < MinSamples || bad <= MaxBadFraction * total) return;
        var (reason, origin) = _latest!; // set before _bad grows, and only called with bad > 0
        var worst = WorstFiles(WorstFilesShown);
        string files = worst.Count == 0 ? "" : $" Worst files: {string.Join("; ", worst)}.";
        string reasons = string.Join(", ", ByReason.Select(kv => $"{Describe(kv.Key)}: {kv.Value:N0}"));
        throw new BadDataException(
            $"{bad:N0} of {total:N0} samples ({100.0 * bad / total:F1}%) are bad or lost, more than the tolerated {100 * MaxBadFraction:F1}% " +
            $"(data.maxBadFraction). By reason: {reasons}.{files} Latest: {Describe(reason)} in {origin}. " +
            "Fix or remove the data, or raise data.maxBadFraction.",
            reason, origin, worst);
    }
}

/// <summary>Too much of the data is bad; the message names the reason, the place and the counts.</summary>
public sealed class BadDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BadDataException(string message, SkipReason reason, string origin, IReadOnlyList<BadFileTally>? worstFiles = null,
        Exception? inner = null) : base(message, inner)
    {
        Reason = reason;
        Origin = origin;
        WorstFiles = worstFiles ?? [];
    }

    /// <summary>The reason of the sample that crossed the threshold.</summary>
    public SkipReason Reason { get; }

    /// <summary>Where that sample was.</summary>
    public string Origin { get; }

    /// <summary>The files (shards) with the most bad samples when the run stopped, worst first.</summary>
    public IReadOnlyList<BadFileTally> WorstFiles { get; }

    /// <summary>The same exception with <paramref name="note"/> (e.g. what to do next) appended to the message.</summary>
    public BadDataException WithNote(string note) => new($"{Message} {note}", Reason, Origin, WorstFiles, this);
}
