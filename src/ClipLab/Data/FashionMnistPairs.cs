using ClipLab.Configuration;
using ClipLab.Imaging;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Data;

/// <summary>
/// Turns Fashion-MNIST into image–caption pairs: images resized to the model's input size, captions
/// from <see cref="FashionMnistCaptions"/> (deterministic by seed) and tokenised once.
/// </summary>
public static class FashionMnistPairs
{
    /// <summary>The training pairs a run config asks for: the train split, optionally its first N images.</summary>
    public static ImageTextPairs ForTraining(DataConfig config, ClipTokenizer tokenizer, int imageSize)
    {
        var source = FashionMnist.Load(FashionMnistSplit.Train, config.Root);
        var captions = FashionMnistCaptions.Load();
        return Build(source, captions, tokenizer, imageSize, config.CaptionSeed, config.CaptionsPerImage,
            count: config.TrainSubset is int n ? Math.Min(n, source.Count) : null);
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
        if (captionsPerImage < 1) throw new ArgumentOutOfRangeException(nameof(captionsPerImage), "must be at least 1");

        var texts = new string[n * captionsPerImage];
        var captionImage = new int[texts.Length];
        Parallel.For(0, n, i =>
        {
            for (int v = 0; v < captionsPerImage; v++)
            {
                texts[i * captionsPerImage + v] = captions.Caption(source.Image(first + i), source.Labels[first + i], captionSeed, first + i, v);
                captionImage[i * captionsPerImage + v] = i;
            }
        });
        var labels = source.Labels.AsSpan(first, n).ToArray();
        var side = FashionMnist.Side;
        Tensor images;
        using (var raw = torch.tensor(source.Pixels.AsSpan(first * side * side, n * side * side).ToArray(), ScalarType.Byte)
                   .reshape(n, 1, side, side))
        {
            images = ImageTensors.Resize(raw, imageSize);
        }
        var tokens = tokenizer.Encode(texts);
        return new ImageTextPairs(images, tokens, captionImage, texts, labels);
    }
}
