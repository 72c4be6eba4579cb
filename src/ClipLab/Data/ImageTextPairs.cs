using ClipLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Data;

/// <summary>
/// An in-memory image–text dataset held as tensors: images stored once as uint8 at the model's input size,
/// captions already tokenised, and a map from each caption to its image so that one image may carry
/// several captions (as in retrieval benchmarks). A training sample is one caption with its image.
/// </summary>
public sealed class ImageTextPairs : IDisposable
{
    /// <summary>Creates the dataset; it takes ownership of both tensors.</summary>
    /// <param name="images">uint8 [images, channels, size, size].</param>
    /// <param name="tokens">int64 [captions, context length].</param>
    /// <param name="captionImage">For each caption, the index of its image.</param>
    /// <param name="captions">Caption texts, in token order.</param>
    /// <param name="imageLabels">Optional class label per image.</param>
    public ImageTextPairs(Tensor images, Tensor tokens, int[] captionImage, IReadOnlyList<string> captions, int[]? imageLabels = null)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException("images must be uint8 [N, C, H, W]");
        if (tokens.dtype != ScalarType.Int64 || tokens.dim() != 2)
            throw new ArgumentException("tokens must be int64 [N, context]");
        if (tokens.shape[0] != captionImage.Length || captions.Count != captionImage.Length)
            throw new ArgumentException("tokens, captions and captionImage must have one entry per caption");
        foreach (int image in captionImage)
            if (image < 0 || image >= images.shape[0])
                throw new ArgumentException($"caption points at image {image}, outside 0..{images.shape[0] - 1}");
        Images = images;
        Tokens = tokens;
        CaptionImage = captionImage;
        Captions = captions;
        ImageLabels = imageLabels;
    }

    /// <summary>uint8 images [images, channels, size, size].</summary>
    public Tensor Images { get; }

    /// <summary>int64 tokens [captions, context length].</summary>
    public Tensor Tokens { get; }

    /// <summary>For each caption, the index of its image.</summary>
    public int[] CaptionImage { get; }

    /// <summary>Caption texts.</summary>
    public IReadOnlyList<string> Captions { get; }

    /// <summary>Class label per image, when the source has labels.</summary>
    public int[]? ImageLabels { get; }

    /// <summary>Number of training samples (captions).</summary>
    public int Count => CaptionImage.Length;

    /// <summary>Number of distinct images.</summary>
    public int ImageCount => (int)Images.shape[0];

    /// <summary>
    /// The batch for the given caption indices: images as float in [-1, 1] with <paramref name="channels"/>
    /// channels, and their tokens. The returned tensors belong to the caller's dispose scope.
    /// </summary>
    public (Tensor Images, Tensor Tokens) Batch(long[] captionIndices, int channels)
    {
        var (pixels, tokens) = PixelBatch(captionIndices);
        using (pixels)
        {
            return (ImageTensors.ToSignedUnitRange(pixels, channels), tokens);
        }
    }

    /// <summary>
    /// The batch for the given caption indices with its images as stored (uint8 [B, C, S, S]), for augmentation, and
    /// their tokens. The returned tensors belong to the caller's dispose scope.
    /// </summary>
    public (Tensor Pixels, Tensor Tokens) PixelBatch(long[] captionIndices)
    {
        var imageIndex = new long[captionIndices.Length];
        for (int i = 0; i < imageIndex.Length; i++) imageIndex[i] = CaptionImage[captionIndices[i]];
        using var captionIdx = torch.tensor(captionIndices, ScalarType.Int64);
        using var imageIdx = torch.tensor(imageIndex, ScalarType.Int64);
        return (Images.index_select(0, imageIdx), Tokens.index_select(0, captionIdx));
    }

    /// <summary>Images <paramref name="start"/>..start+count as float in [-1, 1] (for evaluation).</summary>
    public Tensor ImageRange(long start, long count, int channels)
    {
        using var pixels = Images.narrow(0, start, count);
        return ImageTensors.ToSignedUnitRange(pixels, channels);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Tokens.Dispose();
    }
}
