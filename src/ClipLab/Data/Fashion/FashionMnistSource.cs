using ClipLab.Data.Sources;

namespace ClipLab.Data.Fashion;

/// <summary>
/// Fashion-MNIST as a streaming source: each image PNG-encoded (so it travels the same decode and augment
/// path as any other data) with its generated caption and a JSON record of its label. Within an epoch the
/// images are shuffled by (seed, epoch) and dealt to partitions by position.
/// </summary>
public sealed class FashionMnistSource : ISampleSource
{
    private readonly FashionMnist _data;
    private readonly FashionMnistCaptions _captions;
    private readonly ulong _captionSeed;
    private readonly bool _shuffle;

    /// <summary>Creates the source over <paramref name="split"/>.</summary>
    public FashionMnistSource(FashionMnistSplit split, string? root = null, ulong captionSeed = 1234, bool shuffle = true,
        FashionMnistCaptions? captions = null)
    {
        Split = split;
        _data = FashionMnist.Load(split, root);
        _captions = captions ?? FashionMnistCaptions.Load();
        _captionSeed = captionSeed;
        _shuffle = shuffle;
    }

    /// <summary>The split read.</summary>
    public FashionMnistSplit Split { get; }

    /// <inheritdoc />
    public string Name => $"fashion-mnist:{Split.ToString().ToLowerInvariant()}";

    /// <inheritdoc />
    public long? Count => _data.Count;

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default)
    {
        var order = Enumerable.Range(0, _data.Count).ToArray();
        if (_shuffle) SeedMixer.Random(seed, epoch, 0x464D4E53).Shuffle(order); // "FMNS"
        for (int position = partition.Slice; position < order.Length; position += partition.Slices)
        {
            cancellation.ThrowIfCancellationRequested();
            int index = order[position];
            yield return FashionMnistSample.Create(_data, Split, index, _captions, _captionSeed, $"{Name}:{index}");
        }
    }
}
