using SkiaSharp;

namespace ClipLab.Tests.Corpus;

/// <summary>Small PNGs for importer tests.</summary>
internal static class TestImages
{
    /// <summary>A PNG whose left half is fully transparent (hidden colour black) and right half opaque red.</summary>
    public static byte[] HalfTransparentPng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, x < width / 2 ? new SKColor(0, 0, 0, 0) : new SKColor(255, 0, 0, 255));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>An opaque grey PNG.</summary>
    public static byte[] OpaquePng(int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(new SKColor(90, 90, 90));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
