using SkiaSharp;

namespace ClipLab.Corpus;

/// <summary>
/// Flattens images with transparency onto white and optionally shrinks them, re-encoding as PNG. Clip art and
/// stamps are drawn on transparent backgrounds whose hidden RGB is often black; a decoder that drops alpha would
/// show black silhouettes, so the corpus stores them as they appear on paper: over white.
/// </summary>
public static class WhiteBackground
{
    /// <summary>
    /// Decodes <paramref name="encoded"/>, draws it over white (shrunk so its longer side is at most
    /// <paramref name="maxSide"/>, keeping the aspect ratio; never enlarged) and returns the PNG bytes, or null when
    /// the bytes cannot be decoded.
    /// </summary>
    public static byte[]? FlattenToPng(byte[] encoded, int maxSide = int.MaxValue)
    {
        using var bitmap = Decode(encoded);
        return bitmap is null ? null : FlattenToPng(bitmap, maxSide);
    }

    /// <summary>
    /// Decodes an image completely, or returns null: unknown format, or truncated/corrupt data (which
    /// <see cref="SKBitmap.Decode(byte[])"/> would either throw on or return half-filled).
    /// </summary>
    public static SKBitmap? Decode(byte[] encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        using var data = SKData.CreateCopy(encoded);
        using var codec = SKCodec.Create(data);
        if (codec is null) return null;
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Premul);
        var bitmap = new SKBitmap(info);
        if (codec.GetPixels(info, bitmap.GetPixels()) == SKCodecResult.Success) return bitmap;
        bitmap.Dispose();
        return null;
    }

    /// <summary>Draws <paramref name="image"/> over white (see <see cref="FlattenToPng(byte[], int)"/>) and returns the PNG bytes.</summary>
    public static byte[] FlattenToPng(SKBitmap image, int maxSide = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSide, 1);
        double scale = Math.Min(1.0, maxSide / (double)Math.Max(image.Width, image.Height));
        int width = Math.Max(1, (int)Math.Round(image.Width * scale)), height = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var flat = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(flat))
        using (var source = SKImage.FromBitmap(image))
        {
            canvas.Clear(SKColors.White);
            // Mitchell cubic shrinks line art without the aliasing of nearest/bilinear sampling.
            canvas.DrawImage(source, new SKRect(0, 0, width, height), new SKSamplingOptions(SKCubicResampler.Mitchell));
        }
        using var data = flat.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
