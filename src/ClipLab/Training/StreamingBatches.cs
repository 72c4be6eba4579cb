using ClipLab.Data;
using ClipLab.Data.Loading;

namespace ClipLab.Training;

/// <summary>
/// Batches from the parallel <see cref="ImageTextLoader"/>, epoch after epoch. Short batches (the tail of a
/// worker's slice) are dropped, as open_clip does in training, because the contrastive loss of a batch
/// depends on its size. The position is (epoch, batches taken in it); resuming replays the epoch's order
/// and skips that many batches.
/// </summary>
public sealed class StreamingBatches : TrainingBatches
{
    private readonly ImageTextLoader _loader;
    private readonly BadSampleCounter _bad;
    private readonly long? _uniqueSamples;
    private IEnumerator<HostBatch>? _epoch;
    private int _epochIndex;
    private long _batchInEpoch;

    /// <summary>Wraps a loader; <paramref name="uniqueSamples"/> is the source's size when known.</summary>
    public StreamingBatches(ImageTextLoader loader, BadSampleCounter bad, long? uniqueSamples)
    {
        _loader = loader;
        _bad = bad;
        _uniqueSamples = uniqueSamples;
    }

    /// <inheritdoc />
    public override int? UniqueSamples => _uniqueSamples is long n ? (int)Math.Min(n, int.MaxValue) : null;

    /// <summary>The epoch being read.</summary>
    public int Epoch => _epochIndex;

    /// <inheritdoc />
    public override void Restore(TrainingState state)
    {
        CloseEpoch();
        _epochIndex = state.DataEpoch;
        long skip = state.DataBatchInEpoch;
        _batchInEpoch = 0;
        while (_batchInEpoch < skip) NextFull();
    }

    /// <inheritdoc />
    public override TrainingBatch Next()
    {
        var batch = NextFull();
        var (images, tokens) = batch.ToTensors(_loader.Options.Channels, _loader.Options.ImageSize);
        if (batch.ImageViews == 1) return new TrainingBatch(images, tokens);
        // [B, V, C, S, S]: view 0 is the image–text view, the rest were requested by the strategy.
        using (images)
        {
            var views = images.unbind(1);
            return new TrainingBatch(views[0], tokens, views[1..]);
        }
    }

    /// <inheritdoc />
    public override TrainingState Record(TrainingState state) =>
        state with { DataEpoch = _epochIndex, DataBatchInEpoch = _batchInEpoch };

    /// <inheritdoc />
    public override string BadSampleSummary => _bad.Summary();

    /// <inheritdoc />
    public override long BadSamples => _bad.Bad;

    /// <inheritdoc />
    public override double UsableFraction => _bad.GoodFraction;

    private HostBatch NextFull()
    {
        for (int emptyEpochs = 0; ;)
        {
            _epoch ??= _loader.Epoch(_epochIndex).GetEnumerator();
            while (_epoch.MoveNext())
            {
                if (_epoch.Current.Count < _loader.Options.BatchSize) continue;
                _batchInEpoch++;
                return _epoch.Current;
            }
            bool emptyEpoch = _batchInEpoch == 0;
            CloseEpoch();
            _epochIndex++;
            _batchInEpoch = 0;
            // Slices vary with the shard shuffle, so one epoch without a full batch is tolerated, two are not.
            if (emptyEpoch && ++emptyEpochs >= 2)
                throw new InvalidDataException($"the training data yielded no usable batch of {_loader.Options.BatchSize} samples in an epoch " +
                                               $"(skipped samples: {_bad.Summary()}). Check data.sources, or lower training.batchSize.");
        }
    }

    private void CloseEpoch()
    {
        _epoch?.Dispose();
        _epoch = null;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        CloseEpoch();
        base.Dispose();
    }
}
