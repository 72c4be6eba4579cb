using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Features;

/// <summary>
/// A set of labeled images for evaluation, with the pixels produced only when needed and in batches: the labels
/// are known up front, while decoding, shifting and resizing happen in <see cref="Batches"/>, which a
/// feature-cache hit skips entirely. Streaming keeps memory bounded by a few batches for sets of any size
/// (ImageNet's 50,000 validation images at 224 px would be 7.5 GB as one tensor).
/// </summary>
/// <param name="CacheKey">Identifies the set among a checkpoint's cached features, e.g. <c>fashion-mnist/test-sketch</c>
/// (letters, digits, '-', '_', '.', and '/' between parts).</param>
/// <param name="Recipe">Everything that determines the pixels (source, count, transforms, size, version): a cached
/// file made from another recipe is recomputed.</param>
/// <param name="Labels">Class index per image.</param>
/// <param name="Batches">Given a batch size, yields uint8 [B, C, S, S] at the model's input size, in label order, N
/// images in all (N = Labels.Length); the consumer disposes each batch.</param>
public sealed record LabeledImageSet(string CacheKey, string Recipe, int[] Labels, Func<int, IEnumerable<Tensor>> Batches)
{
    /// <summary>A set whose pixels are made in one tensor (small sets: Fashion-MNIST, emoji), served in slices.</summary>
    /// <param name="cacheKey">See <see cref="CacheKey"/>.</param>
    /// <param name="recipe">See <see cref="Recipe"/>.</param>
    /// <param name="labels">See <see cref="Labels"/>.</param>
    /// <param name="loadImages">Returns uint8 [N, C, S, S]; the set disposes it after slicing.</param>
    public LabeledImageSet(string cacheKey, string recipe, int[] labels, Func<Tensor> loadImages)
        : this(cacheKey, recipe, labels, batchSize => Slices(loadImages, batchSize))
    {
    }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Every image in one uint8 tensor [N, C, S, S] (the caller owns it); for small sets and tests.</summary>
    public Tensor LoadImages()
    {
        var parts = Batches(256).ToList();
        try
        {
            return parts.Count == 0 ? torch.zeros(new long[] { 0 }, ScalarType.Byte) : torch.cat(parts, 0);
        }
        finally
        {
            foreach (var part in parts) part.Dispose();
        }
    }

    private static IEnumerable<Tensor> Slices(Func<Tensor> loadImages, int batchSize)
    {
        using var images = loadImages();
        for (long start = 0; start < images.shape[0]; start += batchSize)
            yield return Slice(images, start, batchSize);
    }

    /// <summary>A copy owned by the caller alone, outside any dispose scope the consumer has open.</summary>
    private static Tensor Slice(Tensor images, long start, int batchSize)
    {
        using var slice = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start));
        return slice.clone().DetachFromDisposeScope();
    }
}
