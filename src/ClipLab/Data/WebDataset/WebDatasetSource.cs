using ClipLab.Data.Sources;

namespace ClipLab.Data.WebDataset;

/// <summary>
/// Image–text samples from WebDataset tar shards (as written by img2dataset or <see cref="ShardWriter"/>);
/// see <see cref="ShardSampleReader"/> for how members become samples and which problems are counted.
/// </summary>
/// <remarks>
/// <para>Partitioning: after the optional per-epoch shard shuffle (same order in every process), shard
/// <c>i</c> belongs to slice <c>i % partition.Slices</c>, so each sample is read by exactly one partition per
/// epoch. Fewer shards than slices is an error (some reader would get nothing). The sample shuffle buffer is
/// per partition, seeded by seed, epoch and slice.</para>
/// <para>Resampled: each partition draws shards uniformly with replacement from the whole list, seeded by
/// seed, epoch and slice, without end unless <see cref="WebDatasetOptions.SamplesPerEpoch"/> is set.</para>
/// <para>Samples per epoch: partition <c>s</c> of <c>S</c> yields <see cref="ShareOf"/> =
/// <c>floor(N / S)</c> samples, plus one when <c>s &lt; N mod S</c>, so the shares sum to exactly <c>N</c>. Without
/// resampling a partition that runs out starts another pass over its shards (a new shard order), like
/// WebDataset's <c>with_epoch</c>; a pass that yields nothing ends the epoch early.</para>
/// <para>Sources call <see cref="BadSampleCounter.CountBad"/>, a damaged or missing shard for every sample it lost
/// (<see cref="ShardExpectations"/>); counting good samples is the loader's job
/// (<see cref="BadSampleCounter.CountGood"/>, after decoding).</para>
/// </remarks>
public sealed class WebDatasetSource : IKeyFilteredSource
{
    // Stream tags keep the random streams for different purposes independent.
    private const long ShardOrderStream = 0x5348_4152_44;  // "SHARD"
    private const long SampleBufferStream = 0x4255_4646;   // "BUFF"
    private const long ResampleStream = 0x5245_5341_4D;    // "RESAM"

    private readonly Lazy<long?> _count;
    private readonly ShardExpectations _expectations;

    /// <summary>Creates the source; shard patterns are expanded now.</summary>
    /// <exception cref="ArgumentException">The options name no shard, or a size is negative.</exception>
    /// <exception cref="FormatException">A shard pattern is malformed.</exception>
    public WebDatasetSource(WebDatasetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Shards);
        ArgumentOutOfRangeException.ThrowIfNegative(options.ShuffleBuffer);
        if (options.SamplesPerEpoch is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "SamplesPerEpoch must be positive when set");
        Options = options;
        Shards = ShardPattern.ExpandAll(options.Shards);
        if (Shards.Count == 0) throw new ArgumentException("no shards given", nameof(options));
        _expectations = new ShardExpectations(Shards);
        _count = new Lazy<long?>(() => options.SamplesPerEpoch ?? (options.Resampled ? null : CountFromManifests()));
    }

    /// <summary>The options this source was made with.</summary>
    public WebDatasetOptions Options { get; }

    /// <summary>The expanded shard paths, in stored order.</summary>
    public IReadOnlyList<string> Shards { get; }

    /// <inheritdoc />
    public string Name => string.Join("::", Options.Shards);

    /// <summary>
    /// <see cref="WebDatasetOptions.SamplesPerEpoch"/> when set; otherwise the total from <c>manifest.json</c>
    /// beside the shards when it lists every shard; otherwise null (unknown, or endless when resampled).
    /// </summary>
    public long? Count => _count.Value;

    /// <summary>Samples partition <paramref name="partition"/> yields of an epoch of <paramref name="total"/>: floor(total/S), plus one for the first total mod S slices.</summary>
    public static long ShareOf(long total, SourcePartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        return total / partition.Slices + (partition.Slice < total % partition.Slices ? 1 : 0);
    }

    /// <summary>The shards partition <paramref name="partition"/> reads in one pass of epoch <paramref name="epoch"/> (not resampled).</summary>
    /// <exception cref="InvalidOperationException">There are fewer shards than slices.</exception>
    public IReadOnlyList<string> ShardsOf(SourcePartition partition, int epoch, ulong seed, int pass = 0)
    {
        CheckPartition(partition);
        if (Shards.Count < partition.Slices)
            throw new InvalidOperationException(
                $"{Shards.Count} shard(s) in '{Name}' cannot be split across {partition.Slices} readers " +
                $"(world size {partition.WorldSize} × {partition.Workers} worker(s)): every reader needs at least one shard. " +
                "Use fewer workers, more (smaller) shards, or resampled mode.");
        string[] order = Shards.ToArray();
        if (Options.ShuffleShards) SeedMixer.Random(seed, epoch, pass, ShardOrderStream).Shuffle(order);
        return order.Where((_, i) => i % partition.Slices == partition.Slice).ToList();
    }

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default) =>
        Read(partition, epoch, seed, bad, SampleKeyFilter.All, cancellation);

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, SampleKeyFilter filter,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(bad);
        ArgumentNullException.ThrowIfNull(filter);
        CheckPartition(partition);
        if (!Options.Resampled) _ = ShardsOf(partition, epoch, seed); // fail now, not at the first MoveNext

        IEnumerable<RawSample> samples = Options.Resampled
            ? ResampledStream(partition, epoch, seed, bad, filter, cancellation)
            : Passes(partition, epoch, seed, bad, filter, cancellation);
        if (Options.ShuffleBuffer > 1)
            samples = ShuffleBuffer.Shuffle(samples, Options.ShuffleBuffer, SeedMixer.Random(seed, epoch, partition.Slice, SampleBufferStream));
        if (Options.SamplesPerEpoch is { } total)
            samples = samples.Take(checked((int)Math.Min(int.MaxValue, ShareOf(total, partition))));
        return samples;
    }

    private IEnumerable<RawSample> Passes(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, SampleKeyFilter filter,
        CancellationToken cancellation)
    {
        for (int pass = 0; ; pass++)
        {
            bool any = false;
            foreach (string shard in ShardsOf(partition, epoch, seed, pass))
            {
                foreach (RawSample sample in ShardSampleReader.Read(shard, bad, cancellation, _expectations, filter))
                {
                    any = true;
                    yield return sample;
                }
            }
            // One pass is the epoch unless an explicit length asks for more; an empty pass would loop forever.
            if (Options.SamplesPerEpoch is null || !any) yield break;
        }
    }

    private IEnumerable<RawSample> ResampledStream(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, SampleKeyFilter filter,
        CancellationToken cancellation)
    {
        Random random = SeedMixer.Random(seed, epoch, partition.Slice, ResampleStream);
        int emptyInARow = 0, giveUpAfter = Math.Max(64, 4 * Shards.Count);
        while (true)
        {
            bool any = false;
            foreach (RawSample sample in ShardSampleReader.Read(Shards[random.Next(Shards.Count)], bad, cancellation, _expectations, filter))
            {
                any = true;
                yield return sample;
            }
            // Every shard empty or unreadable: end the stream instead of spinning forever.
            emptyInARow = any ? 0 : emptyInARow + 1;
            if (emptyInARow >= giveUpAfter) yield break;
        }
    }

    private static void CheckPartition(SourcePartition partition)
    {
        ArgumentNullException.ThrowIfNull(partition);
        if (partition.WorldSize < 1 || partition.Workers < 1 || partition.Rank < 0 || partition.Rank >= partition.WorldSize
            || partition.Worker < 0 || partition.Worker >= partition.Workers)
            throw new ArgumentOutOfRangeException(nameof(partition), $"invalid partition {partition}");
    }

    private long? CountFromManifests()
    {
        long total = 0;
        foreach (string shard in Shards)
        {
            if (_expectations.ListedSamples(shard) is not long n) return null;
            total += n;
        }
        return total;
    }
}
