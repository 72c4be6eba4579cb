namespace ClipLab.Imaging;

/// <summary>Per-pixel colour arithmetic shared by colour jitter and RandAugment (PIL / torchvision formulas).</summary>
internal static class PixelMath
{
    /// <summary>PIL's ITU-R 601-2 luma, L = R·299/1000 + G·587/1000 + B·114/1000, in fixed point as PIL computes it.</summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16);

    /// <summary>Rounds and clamps to a byte.</summary>
    public static byte ToByte(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);

    /// <summary>
    /// Blends with a degenerate image: out = degenerate + factor·(image − degenerate), clamped (PIL ImageEnhance and
    /// torchvision's _blend). The degenerate pixel is produced per pixel by <paramref name="degenerate"/>.
    /// </summary>
    public static RgbImage Blend(RgbImage image, float factor, Func<byte, byte, byte, (float R, float G, float B)> degenerate)
    {
        var dst = new RgbImage(image.Width, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        for (int i = 0; i < s.Length; i += 3)
        {
            var (dr, dg, db) = degenerate(s[i], s[i + 1], s[i + 2]);
            d[i] = ToByte(dr + factor * (s[i] - dr));
            d[i + 1] = ToByte(dg + factor * (s[i + 1] - dg));
            d[i + 2] = ToByte(db + factor * (s[i + 2] - db));
        }
        return dst;
    }

    /// <summary>Applies a lookup table to every channel byte (or per channel when <paramref name="perChannel"/> is given).</summary>
    public static RgbImage ApplyLut(RgbImage image, byte[]? shared, byte[][]? perChannel = null)
    {
        var dst = new RgbImage(image.Width, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        if (perChannel is null)
        {
            for (int i = 0; i < s.Length; i++) d[i] = shared![s[i]];
        }
        else
        {
            for (int i = 0; i < s.Length; i += 3)
            {
                d[i] = perChannel[0][s[i]];
                d[i + 1] = perChannel[1][s[i + 1]];
                d[i + 2] = perChannel[2][s[i + 2]];
            }
        }
        return dst;
    }

    /// <summary>Mean luma of the image (torchvision's contrast reference).</summary>
    public static float MeanLuma(RgbImage image)
    {
        var s = image.Pixels;
        long sum = 0;
        for (int i = 0; i < s.Length; i += 3) sum += Luma(s[i], s[i + 1], s[i + 2]);
        return (float)sum / (image.Width * image.Height);
    }
}
