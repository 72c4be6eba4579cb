using System.Threading.Channels;
using ClipLab.Data.Sources;
using ClipLab.Text;

namespace ClipLab.Data.Loading;

/// <summary>
/// Streams batches from an <see cref="ISampleSource"/>: <see cref="LoaderOptions.Workers"/> threads each read
/// their own slice of the source, decode and augment images and tokenise captions into whole batches, and
/// hand them over through bounded channels (so memory stays bounded). Batches are taken from the workers in
/// turn (0, 1, …, 0, 1, …), as PyTorch's DataLoader does, so the sequence of batches depends only on the
/// seed, the epoch and the worker count. Samples that cannot be used are counted in the
/// <see cref="BadSampleCounter"/> and skipped; a worker's failure (e.g. too much bad data) surfaces on the
/// consuming thread.
/// </summary>
public sealed class ImageTextLoader
{
    private readonly ISampleSource _source;
    private readonly SampleImageTransform _transform;
    private readonly ClipTokenizer _tokenizer;
    private readonly BadSampleCounter _bad;

    /// <summary>Creates a loader; nothing runs until <see cref="Epoch"/> is enumerated.</summary>
    public ImageTextLoader(ISampleSource source, SampleImageTransform transform, ClipTokenizer tokenizer, LoaderOptions options,
        BadSampleCounter bad)
    {
        options.Validate();
        _source = source;
        _transform = transform;
        _tokenizer = tokenizer;
        Options = options;
        _bad = bad;
    }

    /// <summary>The loader's options.</summary>
    public LoaderOptions Options { get; }

    /// <summary>
    /// The batches of one epoch. The last batch of each worker may be short. Disposing the enumerator (or
    /// cancelling) stops the workers.
    /// </summary>
    public IEnumerable<HostBatch> Epoch(int epoch, CancellationToken cancellation = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        int workers = Options.Workers;
        var channels = new Channel<HostBatch>[workers];
        var threads = new Thread[workers];
        for (int w = 0; w < workers; w++)
        {
            channels[w] = Channel.CreateBounded<HostBatch>(new BoundedChannelOptions(Options.PrefetchBatches)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
            var partition = new SourcePartition(Options.Rank, Options.WorldSize, w, workers);
            var writer = channels[w].Writer;
            threads[w] = new Thread(() => RunWorker(partition, epoch, writer, stop.Token))
            {
                IsBackground = true,
                Name = $"cliplab-loader-{w}",
            };
            threads[w].Start();
        }
        try
        {
            var active = Enumerable.Range(0, workers).ToList();
            while (active.Count > 0)
            {
                for (int i = 0; i < active.Count;)
                {
                    var reader = channels[active[i]].Reader;
                    // Blocking here is intended: the training thread waits for the next batch in turn.
                    if (reader.WaitToReadAsync(stop.Token).AsTask().GetAwaiter().GetResult() && reader.TryRead(out var batch))
                    {
                        yield return batch;
                        i++;
                    }
                    else
                    {
                        // Completion rethrows a worker's exception (ChannelClosedException wraps it).
                        reader.Completion.GetAwaiter().GetResult();
                        active.RemoveAt(i);
                    }
                }
            }
        }
        finally
        {
            stop.Cancel();
            foreach (var channel in channels)
                while (channel.Reader.TryRead(out _)) { } // unblock writers waiting on a full channel
            foreach (var thread in threads) thread.Join();
        }
    }

    private void RunWorker(SourcePartition partition, int epoch, ChannelWriter<HostBatch> writer, CancellationToken cancellation)
    {
        try
        {
            int size = Options.ImageSize, channels = Options.Channels, context = _tokenizer.ContextLength;
            // Every view of a sample sits in one slot, views one after the other.
            int imageFloats = channels * size * size * Options.ImageViews;
            var batch = new HostBatch(Options.BatchSize, imageFloats, context, Options.ImageViews);
            foreach (var sample in _source.Read(partition, epoch, Options.Seed, _bad, cancellation))
            {
                cancellation.ThrowIfCancellationRequested();
                if (string.IsNullOrWhiteSpace(sample.Caption))
                {
                    _bad.CountBad(SkipReason.EmptyCaption, sample.Origin, sample.SourceFile);
                    continue;
                }
                // Per-sample randomness keyed by the sample itself: the same sample is augmented the same way
                // whichever worker handles it.
                var rng = SeedMixer.Random(Options.Seed, epoch, (long)StableHash.Of(sample.Key), (long)StableHash.Of(sample.Origin));
                var destination = batch.Images.AsSpan(batch.Count * imageFloats, imageFloats);
                if (!_transform(sample, rng, destination, out var reason))
                {
                    _bad.CountBad(reason, sample.Origin, sample.SourceFile);
                    continue;
                }
                _tokenizer.EncodeRow(sample.Caption).CopyTo(batch.Tokens.AsSpan(batch.Count * context, context));
                batch.Keys[batch.Count] = sample.Key;
                batch.Captions[batch.Count] = sample.Caption;
                batch.Count++;
                _bad.CountGood();
                if (batch.Count == Options.BatchSize)
                {
                    Publish(writer, batch, cancellation);
                    batch = new HostBatch(Options.BatchSize, imageFloats, context, Options.ImageViews);
                }
            }
            if (batch.Count > 0) Publish(writer, batch, cancellation);
            writer.TryComplete();
        }
        catch (OperationCanceledException)
        {
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            writer.TryComplete(ex);
        }
    }

    private static void Publish(ChannelWriter<HostBatch> writer, HostBatch batch, CancellationToken cancellation) =>
        writer.WriteAsync(batch, cancellation).AsTask().GetAwaiter().GetResult();
}
