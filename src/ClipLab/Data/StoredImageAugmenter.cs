using ClipLab.Data.Sources;
using ClipLab.Imaging;
using ClipLab.Imaging.Pipeline;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Data;

/// <summary>
/// Runs image pipelines on images stored as uint8 tensors (the in-memory dataset), so augmentation and SLIP's extra
/// views work there as they do in the streaming loader. Each sample draws from its own random stream, keyed by the run
/// seed and the sample's position in the run (every view of a sample from the same stream, one after the other), so the
/// result does not depend on threads and a resumed run augments exactly as the uninterrupted one.
/// </summary>
public sealed class StoredImageAugmenter
{
    private const long StreamTag = 0x41_55_47; // "AUG": keeps these streams apart from other users of the run seed

    private readonly ImagePipeline? _main;
    private readonly IReadOnlyList<ImagePipeline> _extraViews;
    private readonly ulong _seed;

    /// <summary>
    /// Creates the augmenter. <paramref name="main"/> transforms the image view (null: the stored image as it is);
    /// each of <paramref name="extraViews"/> makes one more view of every sample.
    /// </summary>
    public StoredImageAugmenter(ImagePipeline? main, IReadOnlyList<ImagePipeline> extraViews, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(extraViews);
        _main = main;
        _extraViews = extraViews;
        _seed = seed;
    }

    /// <summary>
    /// The views of a batch: element 0 is the image view, then one per extra view, each float [B, channels, S, S] in the
    /// pipelines' range, in the caller's dispose scope. Single-channel images are repeated to RGB for the pipelines; for a
    /// single-channel model the channels are averaged back.
    /// </summary>
    /// <param name="pixels">uint8 [B, 1 or 3, S, S].</param>
    /// <param name="positions">Each sample's position in the run (samples seen before it), the key of its random stream.</param>
    /// <param name="channels">Channels the model takes.</param>
    public Tensor[] Views(Tensor pixels, long[] positions, int channels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentNullException.ThrowIfNull(positions);
        if (pixels.dtype != ScalarType.Byte || pixels.dim() != 4 || pixels.shape[2] != pixels.shape[3] || pixels.shape[1] is not (1 or 3))
            throw new ArgumentException($"expected uint8 images [B, 1 or 3, S, S], got {pixels.dtype} [{string.Join(", ", pixels.shape)}]");
        int batch = (int)pixels.shape[0], stored = (int)pixels.shape[1], side = (int)pixels.shape[2];
        if (positions.Length != batch) throw new ArgumentException($"{positions.Length} positions for {batch} images");
        byte[] bytes;
        using (var dense = pixels.contiguous()) bytes = dense.data<byte>().ToArray();
        var pipelines = new List<ImagePipeline?> { _main };
        pipelines.AddRange(_extraViews);
        var outputs = pipelines.Select(p => new float[batch * (p?.OutputLength ?? 3 * side * side)]).ToArray();
        Parallel.For(0, batch, i =>
        {
            var image = ToRgb(bytes.AsSpan(i * stored * side * side, stored * side * side), stored, side);
            var rng = SeedMixer.Random(_seed, StreamTag, positions[i]);
            for (int v = 0; v < pipelines.Count; v++)
            {
                if (pipelines[v] is ImagePipeline pipeline)
                    pipeline.Run(image, rng, outputs[v].AsSpan(i * pipeline.OutputLength, pipeline.OutputLength));
            }
        });
        var views = new Tensor[pipelines.Count];
        for (int v = 0; v < pipelines.Count; v++)
        {
            if (pipelines[v] is not ImagePipeline pipeline)
            {
                views[v] = ImageTensors.ToSignedUnitRange(pixels, channels);
                continue;
            }
            int size = pipeline.OutputSize;
            var rgb = torch.tensor(outputs[v], new long[] { batch, 3, size, size });
            if (channels == 3)
            {
                views[v] = rgb;
                continue;
            }
            using (rgb)
            {
                views[v] = channels == 1
                    ? rgb.mean([1], keepdim: true)
                    : throw new ArgumentException($"cannot make {channels}-channel views (1 or 3)");
            }
        }
        return views;
    }

    private static RgbImage ToRgb(ReadOnlySpan<byte> chw, int channels, int side)
    {
        int plane = side * side;
        var hwc = new byte[plane * 3];
        for (int p = 0; p < plane; p++)
        {
            for (int c = 0; c < 3; c++)
                hwc[p * 3 + c] = chw[(channels == 1 ? 0 : c) * plane + p];
        }
        return new RgbImage(side, side, hwc);
    }
}
