using ClipLab.Data;
using ClipLab.Data.Sources;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// A fixed list of evaluation images as a loader source. Slices get whole blocks of <see cref="BlockSize"/>
/// consecutive images in turn (block b goes to slice b mod slices), so with batches of the block size the
/// loader, which takes one batch from each worker in turn, returns the images in list order. Keys are list indices.
/// </summary>
internal sealed class EvaluationImageSource(IReadOnlyList<EvaluationImage> images, int blockSize) : ISampleSource
{
    /// <summary>Caption given to every sample: the loader skips empty captions, and evaluation ignores them.</summary>
    internal const string Caption = "image";

    /// <summary>Images per block (the loader's batch size).</summary>
    public int BlockSize { get; } = blockSize > 0 ? blockSize : throw new ArgumentOutOfRangeException(nameof(blockSize));

    /// <inheritdoc />
    public string Name => $"{images.Count} evaluation images";

    /// <inheritdoc />
    public long? Count => images.Count;

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default)
    {
        for (int block = partition.Slice; (long)block * BlockSize < images.Count; block += partition.Slices)
        {
            int end = (int)Math.Min(images.Count, (long)(block + 1) * BlockSize);
            for (int i = block * BlockSize; i < end; i++)
            {
                cancellation.ThrowIfCancellationRequested();
                var image = images[i];
                byte[] bytes;
                try
                {
                    bytes = image.Read();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The counter of an evaluation tolerates no bad sample: this stops the run naming the file.
                    bad.CountBad(SkipReason.UnreadableFile, $"{image.Origin} ({ex.Message})");
                    continue;
                }
                yield return new RawSample(i.ToString(System.Globalization.CultureInfo.InvariantCulture), "", bytes, Caption, Origin: image.Origin);
            }
        }
    }
}
