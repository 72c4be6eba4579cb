using ClipLab.Data;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// Batches drawn from image–text pairs held as tensors, in an order that is a pure function of the seed and
/// the number of samples already seen (see <see cref="EpochSampler"/>).
/// </summary>
public sealed class InMemoryBatches : TrainingBatches
{
    private readonly ImageTextPairs _pairs;
    private readonly EpochSampler _sampler;
    private readonly int _batchSize;
    private readonly int _channels;
    private long _samplesSeen;

    /// <summary>Takes ownership of <paramref name="pairs"/>.</summary>
    public InMemoryBatches(ImageTextPairs pairs, int batchSize, int channels, long seed)
    {
        _pairs = pairs;
        _sampler = new EpochSampler(pairs.Count, seed);
        _batchSize = batchSize;
        _channels = channels;
    }

    /// <inheritdoc />
    public override int? UniqueSamples => _pairs.Count;

    /// <inheritdoc />
    public override void Restore(TrainingState state) => _samplesSeen = state.SamplesSeen;

    /// <inheritdoc />
    public override (Tensor Images, Tensor Tokens) Next()
    {
        var indices = _sampler.Batch(_samplesSeen, _batchSize);
        _samplesSeen += _batchSize;
        return _pairs.Batch(indices, _channels);
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
