using System.Collections.Concurrent;

namespace ClipLab.Data;

/// <summary>
/// Counts good and skipped samples by reason (thread-safe), remembering the first place each reason was
/// seen, and stops a run once more than a tolerated fraction of samples is bad.
/// </summary>
public sealed class BadSampleCounter
{
    private readonly ConcurrentDictionary<SkipReason, long> _counts = new();
    private readonly ConcurrentDictionary<SkipReason, string> _firstOrigin = new();
    private long _good;

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

    /// <summary>Samples skipped, all reasons.</summary>
    public long Bad => _counts.Values.Sum();

    /// <summary>Skipped samples by reason.</summary>
    public IReadOnlyDictionary<SkipReason, long> ByReason => new SortedDictionary<SkipReason, long>(_counts);

    /// <summary>Records a usable sample.</summary>
    public void CountGood() => Interlocked.Increment(ref _good);

    /// <summary>Records a skipped sample and stops the run if too many are bad.</summary>
    /// <exception cref="BadDataException">More than <see cref="MaxBadFraction"/> of the samples are bad.</exception>
    public void CountBad(SkipReason reason, string origin)
    {
        _counts.AddOrUpdate(reason, 1, (_, n) => n + 1);
        _firstOrigin.TryAdd(reason, origin);
        long bad = Bad, total = bad + Good;
        if (total >= MinSamples && bad > MaxBadFraction * total)
            throw new BadDataException(
                $"{bad:N0} of {total:N0} samples ({100.0 * bad / total:F1}%) are bad, more than the tolerated {100 * MaxBadFraction:F1}%. " +
                $"Latest: {Describe(reason)} in {origin}. Counts: {Summary()}. Fix or remove the data, or raise data.maxBadFraction.",
                reason, origin);
    }

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
}

/// <summary>Too much of the data is bad; the message names the reason, the place and the counts.</summary>
public sealed class BadDataException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BadDataException(string message, SkipReason reason, string origin) : base(message)
    {
        Reason = reason;
        Origin = origin;
    }

    /// <summary>The reason of the sample that crossed the threshold.</summary>
    public SkipReason Reason { get; }

    /// <summary>Where that sample was.</summary>
    public string Origin { get; }
}
