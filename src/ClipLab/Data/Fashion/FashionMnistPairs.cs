using ClipLab.Imaging;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Data.Fashion;

/// <summary>
/// Turns Fashion-MNIST into image–caption pairs: images resized to the model's input size, captions
/// from <see cref="FashionMnistCaptions"/> (deterministic by seed) and tokenised once.
/// </summary>
public static class FashionMnistPairs
{
    /// <summary>
    /// The training pairs: the train split read from <paramref name="root"/> (null: the Debian package's folder), or a
    /// seeded random subset of <paramref name="trainSubset"/> of its images (see <see cref="RandomSubset"/>), with
    /// <paramref name="captionsPerImage"/> captions per image drawn with <paramref name="captionSeed"/>.
    /// </summary>
    public static ImageTextPairs ForTraining(ClipTokenizer tokenizer, int imageSize, string? root, ulong captionSeed, int captionsPerImage,
        int? trainSubset, int subsetSeed)
    {
        var source = FashionMnist.Load(FashionMnistSplit.Train, root);
        var captions = FashionMnistCaptions.Load();
        var images = trainSubset is int n
            ? RandomSubset.Indices(source.Count, n, subsetSeed)
            : Enumerable.Range(0, source.Count).ToArray();
        return Build(source, captions, tokenizer, imageSize, captionSeed, captionsPerImage, images);
    }

    /// <summary>
    /// Builds pairs from images <paramref name="first"/>..first+count of <paramref name="source"/>, with
    /// <paramref name="captionsPerImage"/> captions per image (variants 0..k-1).
    /// </summary>
    public static ImageTextPairs Build(FashionMnist source, FashionMnistCaptions captions, ClipTokenizer tokenizer,
        int imageSize, ulong captionSeed, int captionsPerImage = 1, int first = 0, int? count = null)
    {
        int n = count ?? source.Count - first;
        if (first < 0 || n <= 0 || first + n > source.Count)
            throw new ArgumentOutOfRangeException(nameof(count), $"range {first}..{first + n} is outside the {source.Count} images");
        return Build(source, captions, tokenizer, imageSize, captionSeed, captionsPerImage, Enumerable.Range(first, n).ToArray());
    }

    /// <summary>
    /// Builds pairs from the images of <paramref name="source"/> at <paramref name="imageIndices"/>, in that order, with
    /// <paramref name="captionsPerImage"/> captions per image (variants 0..k-1). An image's captions depend on its index
    /// in the source, not on which other images are chosen.
    /// </summary>
    public static ImageTextPairs Build(FashionMnist source, FashionMnistCaptions captions, ClipTokenizer tokenizer,
        int imageSize, ulong captionSeed, int captionsPerImage, IReadOnlyList<int> imageIndices)
    {
        ArgumentNullException.ThrowIfNull(imageIndices);
        int n = imageIndices.Count;
        if (n == 0) throw new ArgumentOutOfRangeException(nameof(imageIndices), "no images chosen");
        foreach (int index in imageIndices)
            if (index < 0 || index >= source.Count)
                throw new ArgumentOutOfRangeException(nameof(imageIndices), $"image {index} is outside the {source.Count} images");
        if (captionsPerImage < 1) throw new ArgumentOutOfRangeException(nameof(captionsPerImage), "must be at least 1");

        var texts = new string[n * captionsPerImage];
        var captionImage = new int[texts.Length];
        Parallel.For(0, n, i =>
        {
            for (int v = 0; v < captionsPerImage; v++)
            {
                int image = imageIndices[i];
                texts[i * captionsPerImage + v] = captions.Caption(source.Image(image), source.Labels[image], captionSeed, image, v);
                captionImage[i * captionsPerImage + v] = i;
            }
        });
        var labels = imageIndices.Select(i => source.Labels[i]).ToArray();
        var side = FashionMnist.Side;
        var pixels = new byte[n * side * side];
        for (int i = 0; i < n; i++) source.Image(imageIndices[i]).CopyTo(pixels.AsSpan(i * side * side, side * side));
        Tensor images;
        using (var raw = torch.tensor(pixels, new long[] { n, 1, side, side }))
        {
            images = ImageTensors.Resize(raw, imageSize);
        }
        var tokens = tokenizer.Encode(texts);
        return new ImageTextPairs(images, tokens, captionImage, texts, labels);
    }
}
