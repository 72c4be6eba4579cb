using ClipLab.Data.Loading;

namespace ClipLab.Data.Sources;

/// <summary>
/// A seeded random subset of a stream (<c>data.trainSubset</c> on streamed data): the samples whose rank, a hash of the
/// subset seed and the sample key, lies below a threshold. The rule looks at nothing but the key, so the subset is the
/// same in every epoch, partition, worker and process, a resumed run reads the same samples, and subsets of one seed are
/// nested: a larger size only raises the threshold, adding samples.
/// </summary>
/// <remarks>
/// The threshold is chosen in one of two ways. A source that lists its keys up front (<see cref="IKeyListingSource"/>,
/// a CSV) gets the N-th smallest rank, so the subset holds exactly N samples. Any other source (WebDataset shards) must
/// know its size M (the shard manifests' sample counts); the threshold is then N/M of the rank range, so each sample is
/// kept with probability N/M, independently: the subset holds N on average, with a standard deviation of
/// √(N(1 − N/M)) (about 0.1% of N for N = 10⁶ of 10⁷), and <see cref="Count"/> reports N. Reading every shard's keys
/// first would make it exact at the cost of a pass over the data before training.
/// </remarks>
public sealed class SubsetSource : ISampleSource
{
    private const long RankStream = 0x5355_4253_4554; // "SUBSET"

    private readonly ISampleSource _inner;
    private readonly int _seed;
    private readonly ulong _threshold; // a sample is kept when its rank is at most this
    private readonly bool _keepAll;
    private readonly SampleKeyFilter _filter;

    /// <summary>Draws <paramref name="size"/> samples of <paramref name="inner"/> with <paramref name="seed"/> (all of them when it has no more).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="size"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The source neither lists its keys nor knows its size.</exception>
    public SubsetSource(ISampleSource inner, long size, int seed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _inner = inner;
        _seed = seed;
        RequestedSize = size;
        if (inner is IKeyListingSource listing)
        {
            var ranks = listing.Keys().Select(key => Rank(seed, key)).ToArray();
            Array.Sort(ranks);
            _keepAll = size >= ranks.Length;
            _threshold = _keepAll ? ulong.MaxValue : ranks[size - 1];
            // Equal 64-bit ranks are next to impossible, but the count below is the truth either way.
            Count = _keepAll ? ranks.Length : ranks.TakeWhile(r => r <= _threshold).LongCount();
            IsExact = true;
        }
        else
        {
            long total = inner.Count ?? throw new InvalidOperationException(
                $"data.trainSubset needs the size of '{inner.Name}' to draw a subset of it, and it is unknown: write manifest.json beside the shards " +
                "(`cliplab data shards` writes one), or train on all of it.");
            _keepAll = size >= total;
            // Kept when rank < N/M × 2⁶⁴, i.e. rank ≤ that − 1; UInt128 keeps the division exact.
            _threshold = _keepAll ? ulong.MaxValue : (ulong)(((UInt128)size << 64) / (ulong)total) - 1;
            Count = Math.Min(size, total);
            IsExact = _keepAll;
        }

        long population = inner.Count ?? Count.Value;
        _filter = new SampleKeyFilter(Contains, population > 0 ? Math.Min(1.0, (double)Count.Value / population) : 1.0);
    }

    /// <summary>The size asked for.</summary>
    public long RequestedSize { get; }

    /// <summary>Whether <see cref="Count"/> is the exact number of samples in the subset (otherwise its expected number).</summary>
    public bool IsExact { get; }

    /// <inheritdoc />
    public string Name => $"{_inner.Name} (subset of {RequestedSize:N0})";

    /// <summary>Samples in the subset: exact for key-listing sources, else the requested size (the expected count).</summary>
    public long? Count { get; }

    /// <summary>Whether the sample keyed <paramref name="key"/> belongs to the subset.</summary>
    public bool Contains(string key) => _keepAll || Rank(_seed, key) <= _threshold;

    /// <summary>
    /// The subset's samples. A source that filters by key (<see cref="IKeyFilteredSource"/>: CSV, WebDataset) leaves the
    /// others out before checking them, so bad samples outside the subset are not counted and a damaged shard's loss is
    /// counted at the subset's share; any other source is filtered after reading.
    /// </summary>
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default)
    {
        if (_keepAll) return _inner.Read(partition, epoch, seed, bad, cancellation);
        if (_inner is IKeyFilteredSource filtered) return filtered.Read(partition, epoch, seed, bad, _filter, cancellation);
        return _inner.Read(partition, epoch, seed, bad, cancellation).Where(sample => Contains(sample.Key));
    }

    /// <summary>The rank of a sample: a 64-bit hash of the subset seed and its key, the same on every platform.</summary>
    public static ulong Rank(int seed, string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SeedMixer.Mix(unchecked((ulong)seed), RankStream, unchecked((long)StableHash.Of(key)));
    }
}
