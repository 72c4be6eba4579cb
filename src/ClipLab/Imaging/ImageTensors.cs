using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Imaging;

/// <summary>
/// Whole-batch image operations on tensors: resizing stored uint8 images to a model's input size and
/// mapping pixels to the value range a model expects.
/// </summary>
public static class ImageTensors
{
    /// <summary>
    /// Resizes uint8 images [N, C, H, W] to <paramref name="size"/>×<paramref name="size"/> with antialiased
    /// bilinear interpolation, in chunks so memory stays bounded, and returns uint8 [N, C, size, size].
    /// </summary>
    public static Tensor Resize(Tensor images, int size, int chunk = 4096)
    {
        if (images.dim() != 4) throw new ArgumentException($"expected images [N, C, H, W], got [{string.Join(", ", images.shape)}]");
        if (images.shape[2] == size && images.shape[3] == size) return images.clone();
        long n = images.shape[0];
        var result = torch.empty(n, images.shape[1], size, size, ScalarType.Byte);
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = torch.NewDisposeScope();
            long len = Math.Min(chunk, n - start);
            var part = images.narrow(0, start, len).to_type(ScalarType.Float32);
            var resized = nn.functional.interpolate(part, new long[] { size, size }, mode: InterpolationMode.Bilinear,
                align_corners: false, antialias: true);
            using Scalar low = 0.ToScalar(), high = 255.ToScalar();
            result.narrow(0, start, len).copy_(resized.round_().clamp_(low, high).to_type(ScalarType.Byte));
        }
        return result;
    }

    /// <summary>
    /// Maps uint8 pixels to float in [-1, 1] (the paper's input range) and repeats a single channel to
    /// <paramref name="channels"/> channels when the model expects colour input.
    /// </summary>
    public static Tensor ToSignedUnitRange(Tensor pixels, int channels)
    {
        // Scalars held until after each call (see Models.KeptScalars).
        using Scalar half = 127.5.ToScalar(), one = 1.0.ToScalar();
        var x = pixels.to_type(ScalarType.Float32).div_(half).sub_(one);
        if (x.shape[1] == channels) return x;
        if (x.shape[1] != 1)
            throw new ArgumentException($"cannot map {x.shape[1]}-channel images to {channels} channels");
        return x.expand(x.shape[0], channels, x.shape[2], x.shape[3]).contiguous();
    }
}
