namespace ClipLab.Data.Sources;

/// <summary>
/// Which slice of a source one reader handles: the process (rank of world size, for distributed training)
/// and the loader worker within it. Every sample belongs to exactly one slice per epoch.
/// </summary>
/// <param name="Rank">This process's index.</param>
/// <param name="WorldSize">Number of processes.</param>
/// <param name="Worker">This loader worker's index within the process.</param>
/// <param name="Workers">Loader workers per process.</param>
public sealed record SourcePartition(int Rank = 0, int WorldSize = 1, int Worker = 0, int Workers = 1)
{
    /// <summary>The whole source, unsplit.</summary>
    public static SourcePartition All { get; } = new();

    /// <summary>Index of this slice among all <see cref="Slices"/>.</summary>
    public int Slice => Rank * Workers + Worker;

    /// <summary>Total number of slices (world size × workers).</summary>
    public int Slices => WorldSize * Workers;
}

/// <summary>
/// A stream of raw image–text samples (WebDataset shards, a CSV, Fashion-MNIST, a mixture of these).
/// Reading is deterministic for a given seed, epoch and partition; samples that cannot be used are
/// counted in <c>bad</c> and skipped, never thrown.
/// </summary>
public interface ISampleSource
{
    /// <summary>A short description for logs (e.g. the shard pattern).</summary>
    string Name { get; }

    /// <summary>Samples per epoch when known (null for open-ended streams).</summary>
    long? Count { get; }

    /// <summary>Streams one epoch of the given partition.</summary>
    IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default);
}
