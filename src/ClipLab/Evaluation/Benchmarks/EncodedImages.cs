using ClipLab.Imaging;
using ClipLab.Imaging.Ops;
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
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "models take 1 or 3 channels");
        var crop = new ResizeCenterCropOp(size, 0.875);
        int plane = size * size;
        var pixels = new byte[(long)images.Count * channels * plane];
        Parallel.For(0, images.Count, i =>
        {
            RgbImage image;
            try
            {
                image = crop.Apply(ImageDecoder.Decode(images[i].Bytes, minOutputSide: crop.ResizeTo), Random.Shared);
            }
            catch (Exception ex) when (ex is ImageDecodeException or ArgumentException or InvalidDataException)
            {
                throw new InvalidDataException($"cannot decode image {images[i].Origin}: {ex.Message}", ex);
            }
            var rgb = image.Pixels;
            long offset = (long)i * channels * plane;
            for (int p = 0; p < plane; p++)
            {
                if (channels == 1)
                {
                    pixels[offset + p] = PixelMath.Luma(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]);
                }
                else
                {
                    pixels[offset + p] = rgb[3 * p];
                    pixels[offset + plane + p] = rgb[3 * p + 1];
                    pixels[offset + 2 * plane + p] = rgb[3 * p + 2];
                }
            }
        });
        using var flat = torch.tensor(pixels, ScalarType.Byte);
        return flat.reshape(images.Count, channels, size, size);
    }
}
