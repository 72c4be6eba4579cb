using ClipLab.Data;
using ClipLab.Data.Loading;
using ClipLab.Imaging;
using ClipLab.Imaging.Ops;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Decodes evaluation images with the paper's protocol — shorter side resized to S / 0.875, then the central S×S
/// crop (big_vision's <c>_square875</c>, the <c>eval</c> pipeline preset) — as uint8 [B, C, S, S] batches, RGB or
/// luma when the model takes one channel. Images stream through the parallel <see cref="ImageTextLoader"/>, so a
/// set of any size needs memory for a few batches only (workers × prefetch × batch images), never the whole set.
/// </summary>
public static class EvaluationImages
{
    /// <summary>Images per loader batch: small enough that the batches in flight stay well under 100 MB at 224 px.</summary>
    public const int DefaultBatchSize = 64;

    /// <summary>The paper's zero-shot crop ratio.</summary>
    public const double CropRatio = 0.875;

    // The loader tokenises each sample's caption; evaluation needs none, so one short default tokenizer serves all.
    private static readonly Lazy<ClipTokenizer> PlaceholderTokenizer = new(() => ClipTokenizer.LoadDefault(4));

    /// <summary>
    /// The images in list order, as uint8 tensors [B, C, S, S] of at most <paramref name="batchSize"/> and
    /// <see cref="DefaultBatchSize"/> images; the caller disposes each. Decoding runs on <paramref name="workers"/>
    /// loader threads (default one per core, at most 8) ahead of the caller.
    /// </summary>
    /// <exception cref="InvalidDataException">An image cannot be read or decoded; the message names it.</exception>
    public static IEnumerable<Tensor> Batches(IReadOnlyList<EvaluationImage> images, int size, int channels, int batchSize = DefaultBatchSize, int? workers = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "models take 1 or 3 channels");
        if (images.Count == 0) yield break;
        int workerCount = Math.Clamp(workers ?? Environment.ProcessorCount, 1, 8);
        batchSize = Math.Clamp(batchSize, 1, DefaultBatchSize);
        var source = new EvaluationImageSource(images, batchSize);
        // Any unreadable image stops the evaluation: a score on a silently smaller set would not be comparable.
        var bad = new BadSampleCounter(maxBadFraction: 0, minSamples: 0);
        var loader = new ImageTextLoader(source, Transform(images, size, channels), PlaceholderTokenizer.Value,
            new LoaderOptions(batchSize, size, Workers: workerCount, PrefetchBatches: 2, Channels: channels), bad);
        long expected = 0;
        using var batches = loader.Epoch(epoch: 0).GetEnumerator();
        while (true)
        {
            HostBatch batch;
            try
            {
                if (!batches.MoveNext()) break;
                batch = batches.Current;
            }
            catch (BadDataException ex)
            {
                throw new InvalidDataException($"cannot use evaluation image {ex.Origin}: {BadSampleCounter.Describe(ex.Reason)}; fix or remove it", ex);
            }
            for (int i = 0; i < batch.Count; i++)
                if (batch.Keys[i] != (expected + i).ToString(System.Globalization.CultureInfo.InvariantCulture))
                    throw new InvalidOperationException($"evaluation images arrived out of order (image {batch.Keys[i]} where {expected + i} was due)");
            expected += batch.Count;
            yield return ToBytes(batch, channels, size);
        }
        if (expected != images.Count) throw new InvalidOperationException($"the loader returned {expected} of {images.Count} evaluation images");
    }

    /// <summary>
    /// The batch as a uint8 tensor owned by the caller alone. No dispose scope may stay open across a
    /// <c>yield</c>: the consumer's tensors would be registered in it and disposed when this iterator resumes.
    /// </summary>
    private static Tensor ToBytes(HostBatch batch, int channels, int size)
    {
        using var scope = torch.NewDisposeScope();
        var (pixels, _) = batch.ToTensors(channels, size);
        return pixels.to_type(ScalarType.Byte).DetachFromDisposeScope();
    }

    /// <summary>Decodes one sample (encoded, or raw RGB of a known size), crops it and writes 0–255 values as floats.</summary>
    private static SampleImageTransform Transform(IReadOnlyList<EvaluationImage> images, int size, int channels)
    {
        var crop = new ResizeCenterCropOp(size, CropRatio);
        int plane = size * size;
        return (RawSample sample, Random rng, Span<float> destination, out SkipReason reason) =>
        {
            RgbImage image;
            try
            {
                var raw = images[int.Parse(sample.Key, System.Globalization.CultureInfo.InvariantCulture)].RawPixels;
                var decoded = raw is var (w, h) ? new RgbImage(w, h, sample.Image) : ImageDecoder.Decode(sample.Image, minOutputSide: crop.ResizeTo);
                image = crop.Apply(decoded, rng);
            }
            catch (ImageDecodeException ex)
            {
                reason = ex.Reason;
                return false;
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidDataException)
            {
                reason = SkipReason.CorruptImage;
                return false;
            }
            var rgb = image.Pixels;
            for (int p = 0; p < plane; p++)
            {
                if (channels == 1)
                {
                    destination[p] = PixelMath.Luma(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]);
                }
                else
                {
                    destination[p] = rgb[3 * p];
                    destination[plane + p] = rgb[3 * p + 1];
                    destination[2 * plane + p] = rgb[3 * p + 2];
                }
            }
            reason = default;
            return true;
        };
    }
}
