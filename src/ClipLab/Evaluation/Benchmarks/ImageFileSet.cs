using System.Security.Cryptography;
using System.Text;
using ClipLab.Evaluation.Features;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// A labeled set of image files on disk as a streamed, cacheable <see cref="LabeledImageSet"/>. The recipe names
/// every file with its size and modification time, so edited or replaced images invalidate cached features.
/// </summary>
public static class ImageFileSet
{
    private const string RecipeVersion = "v1";

    /// <summary>One image file and its class.</summary>
    /// <param name="File">Full path.</param>
    /// <param name="Label">Class index.</param>
    /// <param name="Origin">How to name it in messages (file, or table and line).</param>
    public sealed record Item(string File, int Label, string Origin);

    /// <summary>The set; images are read and decoded only when its features are computed.</summary>
    /// <param name="cacheKey">Feature-cache key, e.g. <c>imagenet/val</c>.</param>
    /// <param name="description">What the files are, for the recipe, e.g. <c>imagenet val</c>.</param>
    /// <param name="items">The files in label order of the set.</param>
    /// <param name="imageSize">The model's input size.</param>
    /// <param name="channels">The model's input channels.</param>
    public static LabeledImageSet Create(string cacheKey, string description, IReadOnlyList<Item> items, int imageSize, int channels)
    {
        ArgumentNullException.ThrowIfNull(items);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var item in items)
        {
            var info = new FileInfo(item.File);
            sha.AppendData(Encoding.UTF8.GetBytes($"{item.File}|{(info.Exists ? info.Length : -1)}|{(info.Exists ? info.LastWriteTimeUtc.Ticks : 0)}\n"));
        }
        string recipe = $"{description} {RecipeVersion}: {items.Count} images, files {Convert.ToHexString(sha.GetHashAndReset())[..16]}, " +
                        $"resize_center_crop({imageSize}, {EvaluationImages.CropRatio}), {channels} channel(s)";
        var images = items.Select(i => EvaluationImage.FromFile(i.File, i.Origin)).ToArray();
        return new LabeledImageSet(cacheKey, recipe, items.Select(i => i.Label).ToArray(),
            batchSize => EvaluationImages.Batches(images, imageSize, channels, batchSize));
    }
}
