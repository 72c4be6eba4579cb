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
    private long _samplesSeen;

    /// <summary>Takes ownership of <paramref name="pairs"/>; <paramref name="augmenter"/> (optional) makes the image views.</summary>
    public InMemoryBatches(ImageTextPairs pairs, int batchSize, int channels, long seed, StoredImageAugmenter? augmenter = null)
    {
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
        long start = _samplesSeen;
        var indices = _sampler.Batch(start, _batchSize);
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
