namespace ClipLab.Data.WebDataset;

/// <summary>How a <see cref="WebDatasetSource"/> reads its shards.</summary>
/// <param name="Shards">Shard files or patterns (<see cref="ShardPattern"/>: braces and <c>::</c> lists), expanded in order.</param>
public sealed record WebDatasetOptions(IReadOnlyList<string> Shards)
{
    /// <summary>Reads the shards named by one pattern (e.g. <c>data/train-{00000..00099}.tar</c>, or several joined by <c>::</c>).</summary>
    public WebDatasetOptions(string shards) : this([shards]) { }

    /// <summary>
    /// Shuffle the shard order every epoch, deterministically from seed and epoch (the same order in every
    /// process, so the per-partition slices stay disjoint). Off by default (stored order, for evaluation).
    /// </summary>
    public bool ShuffleShards { get; init; }

    /// <summary>Size of the streaming sample shuffle buffer per partition (0 = no sample shuffle), as WebDataset's <c>shuffle(n)</c>.</summary>
    public int ShuffleBuffer { get; init; }

    /// <summary>
    /// Draw shards with replacement, independently per partition, forever (open_clip <c>--dataset-resampled</c>).
    /// Combine with <see cref="SamplesPerEpoch"/> to give epochs a length.
    /// </summary>
    public bool Resampled { get; init; }

    /// <summary>
    /// Explicit epoch length over all partitions (open_clip <c>--train-num-samples</c>); each partition yields
    /// its share (see <see cref="WebDatasetSource.ShareOf"/>). Null: one pass over the shards (or endless when resampled).
    /// </summary>
    public long? SamplesPerEpoch { get; init; }
}
