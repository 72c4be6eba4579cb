using System.Security.Cryptography;
using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Text;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Reads an image–caption source into retrieval pairs: samples whose image bytes are identical (the same file
/// listed on several rows, or a shard storing an image once per caption) become one image with several
/// captions; images are decoded with the evaluation crop, captions tokenised.
/// </summary>
public static class PairSourceReader
{
    /// <summary>Reads the whole source (or its first <paramref name="maxImages"/> distinct images).</summary>
    /// <exception cref="InvalidDataException">Samples could not be read (the message summarises why), or fewer than two images remain.</exception>
    public static ImageTextPairs Read(ISampleSource source, ClipTokenizer tokenizer, int imageSize, int channels, int? maxImages = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var bad = new BadSampleCounter(maxBadFraction: 1.0);
        var imageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var images = new List<EncodedImage>();
        var captions = new List<string>();
        var captionImage = new List<int>();
        foreach (var sample in source.Read(SourcePartition.All, epoch: 0, seed: 0, bad))
        {
            string hash = Convert.ToHexString(SHA256.HashData(sample.Image));
            if (!imageIndex.TryGetValue(hash, out int image))
            {
                if (maxImages is int max && images.Count >= max) continue;
                image = images.Count;
                imageIndex[hash] = image;
                images.Add(new EncodedImage(sample.Image, sample.Origin));
            }
            captions.Add(sample.Caption);
            captionImage.Add(image);
        }
        if (bad.Bad > 0) throw new InvalidDataException($"retrieval pairs {source.Name}: {bad.Summary()}; fix or remove those samples");
        if (images.Count < 2) throw new InvalidDataException($"retrieval pairs {source.Name}: need at least 2 images, found {images.Count}");
        var pixels = EncodedImages.ToTensor(images, imageSize, channels);
        var tokens = tokenizer.Encode(captions);
        return new ImageTextPairs(pixels, tokens, captionImage.ToArray(), captions);
    }
}
