using ClipLab.Imaging;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>One encoded image file (JPEG, PNG, WebP, GIF …) and where it came from, for error messages.</summary>
/// <param name="Bytes">The encoded file.</param>
/// <param name="Origin">File path, or shard and member.</param>
public sealed record EncodedImage(byte[] Bytes, string Origin);

/// <summary>
/// Decodes images for evaluation with the paper's protocol: shorter side resized to S / 0.875, then the central
/// S×S crop (big_vision's <c>_square875</c>, the <c>eval</c> pipeline preset), as uint8 [N, C, S, S] — RGB, or
/// luma when the model takes one channel.
/// </summary>
public static class EncodedImages
{
    /// <summary>Decodes every image in parallel into one uint8 tensor [N, channels, size, size].</summary>
    /// <exception cref="InvalidDataException">An image cannot be decoded; the message names its origin.</exception>
    public static Tensor ToTensor(IReadOnlyList<EncodedImage> images, int size, int channels)
    {
        ArgumentNullException.ThrowIfNull(images);
        var preprocessing = new EvaluationPreprocessing(size, channels);
        int bytes = preprocessing.PlaneBytes;
        var pixels = new byte[(long)images.Count * bytes];
        Parallel.For(0, images.Count, i => preprocessing.Write(images[i].Bytes, images[i].Origin, pixels.AsSpan(i * bytes, bytes)));
        using var flat = torch.tensor(pixels, ScalarType.Byte);
        return flat.reshape(images.Count, channels, size, size);
    }
}
