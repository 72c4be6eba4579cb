using ClipLab.Data;

namespace ClipLab.Training;

/// <summary>
/// Batches drawn from image–text pairs held as tensors, in an order that is a pure function of the seed and
/// the number of samples already seen (see <see cref="EpochSampler"/>). With an augmenter, the stored images go
/// through its pipelines, keyed by each sample's position in the run (so a resumed run sees the same views).
/// </summary>
public sealed class InMemoryBatches : TrainingBatches
{
    private readonly ImageTextPairs _pairs;
    private readonly EpochSampler _sampler;
    private readonly int _batchSize;
    private readonly int _channels;
    private readonly StoredImageAugmenter? _augmenter;
    private readonly int _rank;
    private readonly int _worldSize;
    private long _samplesSeen;

    /// <summary>
    /// Takes ownership of <paramref name="pairs"/>; <paramref name="augmenter"/> (optional) makes the image views. In a
    /// data-parallel job <paramref name="batchSize"/> is the global batch, and rank <paramref name="rank"/> of
    /// <paramref name="worldSize"/> takes its consecutive share of each global batch, so the job sees the samples in the
    /// order one process would.
    /// </summary>
    public InMemoryBatches(ImageTextPairs pairs, int batchSize, int channels, long seed, StoredImageAugmenter? augmenter = null,
        int rank = 0, int worldSize = 1)
    {
        if (worldSize < 1 || rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"must be in 0..{worldSize - 1}");
        if (batchSize % worldSize != 0) throw new ArgumentException($"a global batch of {batchSize} does not split into {worldSize} equal shares", nameof(batchSize));
        _rank = rank;
        _worldSize = worldSize;
        _pairs = pairs;
        _augmenter = augmenter;
        _sampler = new EpochSampler(pairs.Count, seed);
        _batchSize = batchSize;
        _channels = channels;
    }

    /// <inheritdoc />
    public override int? UniqueSamples => _pairs.Count;

    /// <inheritdoc />
    public override void Restore(TrainingState state) => _samplesSeen = state.SamplesSeen;

    /// <inheritdoc />
    public override TrainingBatch Next()
    {
        int share = _batchSize / _worldSize;
        long start = _samplesSeen + (long)_rank * share;
        var indices = _sampler.Batch(_samplesSeen, _batchSize).AsSpan(_rank * share, share).ToArray();
        _samplesSeen += _batchSize;
        if (_augmenter is null)
        {
            var (images, tokens) = _pairs.Batch(indices, _channels);
            return new TrainingBatch(images, tokens);
        }
        var (pixels, batchTokens) = _pairs.PixelBatch(indices);
        using (pixels)
        {
            var positions = new long[indices.Length];
            for (int i = 0; i < positions.Length; i++) positions[i] = start + i;
            var views = _augmenter.Views(pixels, positions, _channels);
            return new TrainingBatch(views[0], batchTokens, views[1..]);
        }
    }

    /// <inheritdoc />
    public override TrainingState Record(TrainingState state) => state;

    /// <inheritdoc />
    public override void Dispose()
    {
        _pairs.Dispose();
        base.Dispose();
    }
}
