using System.Security.Cryptography;
using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Evaluation.Features;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Reads an image–caption source into a retrieval benchmark: samples whose image bytes are identical (the same
/// file listed on several rows, or a shard storing an image once per caption) become one image with several
/// captions. The encoded images are kept (not decoded) until their features are computed.
/// </summary>
public static class PairSourceReader
{
    private const string RecipeVersion = "v1";

    /// <summary>Reads the whole source (or its first <paramref name="maxImages"/> distinct images).</summary>
    /// <exception cref="InvalidDataException">Samples could not be read (the message summarises why), or fewer than two images remain.</exception>
    public static RetrievalPairs Read(string name, ISampleSource source, int imageSize, int channels, int? maxImages = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var bad = new BadSampleCounter(maxBadFraction: 1.0);
        var imageIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var images = new List<EvaluationImage>();
        var captions = new List<string>();
        var captionImage = new List<int>();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var sample in source.Read(SourcePartition.All, epoch: 0, seed: 0, bad))
        {
            string hash = Convert.ToHexString(SHA256.HashData(sample.Image));
            if (!imageIndex.TryGetValue(hash, out int image))
            {
                if (maxImages is int max && images.Count >= max) continue;
                image = images.Count;
                imageIndex[hash] = image;
                images.Add(EvaluationImage.FromBytes(sample.Image, sample.Origin));
                sha.AppendData(System.Text.Encoding.ASCII.GetBytes(hash));
            }
            captions.Add(sample.Caption);
            captionImage.Add(image);
        }
        if (bad.Bad > 0) throw new InvalidDataException($"retrieval pairs {source.Name}: {bad.Summary()}; fix or remove those samples");
        if (images.Count < 2) throw new InvalidDataException($"retrieval pairs {source.Name}: need at least 2 images, found {images.Count}");
        string recipe = $"retrieval pairs {RecipeVersion}: {images.Count} images of content {Convert.ToHexString(sha.GetHashAndReset())[..16]}, " +
                        $"resize_center_crop({imageSize}, {EvaluationImages.CropRatio}), {channels} channel(s)";
        var set = new LabeledImageSet($"user/{name}/retrieval", recipe, new int[images.Count],
            batchSize => EvaluationImages.Batches(images, imageSize, channels, batchSize));
        return new RetrievalPairs(set, captions, captionImage.ToArray());
    }
}
