namespace ClipLab.Data;

/// <summary>
/// Deterministic sampling order over a dataset of <see cref="DatasetSize"/> items: each epoch is a
/// fresh permutation derived from (seed, epoch) alone, and batches run on across epoch boundaries.
/// Because the order is a pure function of the number of samples already seen, a resumed run needs only
/// that number to continue with exactly the batches the interrupted run would have drawn.
/// </summary>
public sealed class EpochSampler
{
    private readonly long _seed;
    private int _cachedEpoch = -1;
    private int[] _cachedOrder = Array.Empty<int>();

    /// <summary>Creates a sampler over <paramref name="datasetSize"/> items.</summary>
    public EpochSampler(int datasetSize, long seed)
    {
        if (datasetSize <= 0) throw new ArgumentOutOfRangeException(nameof(datasetSize), "the dataset is empty");
        DatasetSize = datasetSize;
        _seed = seed;
    }

    /// <summary>Number of items per epoch.</summary>
    public int DatasetSize { get; }

    /// <summary>The permutation used in <paramref name="epoch"/>.</summary>
    public int[] Order(int epoch)
    {
        if (epoch == _cachedEpoch) return _cachedOrder;
        var order = new int[DatasetSize];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        // System.Random with an explicit seed uses a fixed, documented algorithm: stable across runs and platforms.
        var rng = new Random(unchecked((int)(_seed * 1_000_003 + epoch * 7_919 + 17)));
        rng.Shuffle(order);
        _cachedEpoch = epoch;
        _cachedOrder = order;
        return order;
    }

    /// <summary>
    /// The dataset indices of the batch that starts after <paramref name="samplesSeen"/> samples.
    /// </summary>
    public long[] Batch(long samplesSeen, int batchSize)
    {
        var indices = new long[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            long position = samplesSeen + i;
            int epoch = (int)(position / DatasetSize);
            indices[i] = Order(epoch)[(int)(position % DatasetSize)];
        }
        return indices;
    }
}
