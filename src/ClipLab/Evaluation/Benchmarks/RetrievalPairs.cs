using ClipLab.Evaluation.Features;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// The pairs of a retrieval benchmark: the distinct images as a streamed, cacheable <see cref="LabeledImageSet"/>
/// (its labels are unused), the captions, and the image of each caption; an image may have several captions.
/// </summary>
public sealed record RetrievalPairs
{
    /// <summary>Checks and pairs the parts.</summary>
    /// <exception cref="InvalidDataException">Fewer than two images, or a caption without a valid image.</exception>
    public RetrievalPairs(LabeledImageSet images, IReadOnlyList<string> captions, int[] captionImage)
    {
        ArgumentNullException.ThrowIfNull(images);
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentNullException.ThrowIfNull(captionImage);
        if (images.Count < 2) throw new InvalidDataException($"retrieval set {images.CacheKey}: need at least 2 images, found {images.Count}");
        if (captions.Count != captionImage.Length || captions.Count == 0)
            throw new InvalidDataException($"retrieval set {images.CacheKey}: {captions.Count} captions but {captionImage.Length} caption→image entries");
        foreach (int image in captionImage)
            if (image < 0 || image >= images.Count)
                throw new InvalidDataException($"retrieval set {images.CacheKey}: a caption points at image {image}, outside 0..{images.Count - 1}");
        Images = images;
        Captions = captions;
        CaptionImage = captionImage;
    }

    /// <summary>The distinct images.</summary>
    public LabeledImageSet Images { get; }

    /// <summary>Caption texts, tokenised when run.</summary>
    public IReadOnlyList<string> Captions { get; }

    /// <summary>For each caption, the index of its image.</summary>
    public int[] CaptionImage { get; }
}
