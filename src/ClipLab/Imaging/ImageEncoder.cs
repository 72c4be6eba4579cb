using System.Runtime.InteropServices;
using SkiaSharp;

namespace ClipLab.Imaging;

/// <summary>Encodes <see cref="RgbImage"/> to PNG, JPEG or WebP bytes with SkiaSharp (for importers and tests).</summary>
public static class ImageEncoder
{
    /// <summary>Lossless PNG.</summary>
    public static byte[] EncodePng(RgbImage image) => Encode(image, SKEncodedImageFormat.Png, 100);

    /// <summary>JPEG at <paramref name="quality"/> (1–100).</summary>
    public static byte[] EncodeJpeg(RgbImage image, int quality = 90)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), "JPEG quality must be in [1, 100]");
        return Encode(image, SKEncodedImageFormat.Jpeg, quality);
    }

    /// <summary>WebP at <paramref name="quality"/> (1–100, lossy).</summary>
    public static byte[] EncodeWebp(RgbImage image, int quality = 90)
    {
        if (quality is < 1 or > 100) throw new ArgumentOutOfRangeException(nameof(quality), "WebP quality must be in [1, 100]");
        return Encode(image, SKEncodedImageFormat.Webp, quality);
    }

    private static byte[] Encode(RgbImage image, SKEncodedImageFormat format, int quality)
    {
        ArgumentNullException.ThrowIfNull(image);
        var rgba = new byte[image.Width * image.Height * 4];
        var src = image.Pixels;
        for (int s = 0, d = 0; s < src.Length; s += 3, d += 4)
        {
            rgba[d] = src[s];
            rgba[d + 1] = src[s + 1];
            rgba[d + 2] = src[s + 2];
            rgba[d + 3] = 255;
        }
        var info = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        try
        {
            using var pixmap = new SKPixmap(info, handle.AddrOfPinnedObject(), info.RowBytes);
            using var data = pixmap.Encode(format, quality)
                ?? throw new InvalidOperationException($"SkiaSharp could not encode {format}");
            return data.ToArray();
        }
        finally
        {
            handle.Free();
        }
    }
}
