namespace ClipLab.Imaging;

/// <summary>
/// Colour adjustments with torchvision / PIL ImageEnhance semantics, each a blend with a "degenerate" image:
/// black (brightness), mean grey (contrast), grayscale (saturation); plus hue rotation and grayscale conversion.
/// A factor of 1 returns the image unchanged.
/// </summary>
public static class ColorAdjust
{
    /// <summary>Scales intensities by <paramref name="factor"/> (0 gives black).</summary>
    public static RgbImage Brightness(RgbImage image, float factor) =>
        PixelMath.Blend(image, factor, static (_, _, _) => (0f, 0f, 0f));

    /// <summary>Blends with the image's mean luma (0 gives flat grey).</summary>
    public static RgbImage Contrast(RgbImage image, float factor)
    {
        float mean = PixelMath.MeanLuma(image);
        return PixelMath.Blend(image, factor, (_, _, _) => (mean, mean, mean));
    }

    /// <summary>Blends with the pixel's luma (0 gives grayscale) — PIL's ImageEnhance.Color.</summary>
    public static RgbImage Saturation(RgbImage image, float factor) =>
        PixelMath.Blend(image, factor, static (r, g, b) =>
        {
            float l = PixelMath.Luma(r, g, b);
            return (l, l, l);
        });

    /// <summary>Rotates hue by <paramref name="shift"/> turns, in [-0.5, 0.5] (torchvision adjust_hue).</summary>
    public static RgbImage Hue(RgbImage image, float shift)
    {
        if (shift is < -0.5f or > 0.5f) throw new ArgumentOutOfRangeException(nameof(shift), "hue shift must be in [-0.5, 0.5]");
        var dst = new RgbImage(image.Width, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        for (int i = 0; i < s.Length; i += 3)
        {
            float r = s[i] / 255f, g = s[i + 1] / 255f, b = s[i + 2] / 255f;
            float max = MathF.Max(r, MathF.Max(g, b)), min = MathF.Min(r, MathF.Min(g, b));
            float delta = max - min;
            if (delta <= 0)
            {
                d[i] = s[i];
                d[i + 1] = s[i + 1];
                d[i + 2] = s[i + 2];
                continue;
            }
            float h = max == r ? (g - b) / delta : max == g ? 2f + (b - r) / delta : 4f + (r - g) / delta;
            h = h / 6f + shift;
            h -= MathF.Floor(h);
            float sat = delta / max, v = max;
            float h6 = h * 6f;
            int sector = (int)h6 % 6;
            float f = h6 - MathF.Floor(h6);
            float p = v * (1 - sat), q = v * (1 - sat * f), t = v * (1 - sat * (1 - f));
            (float rr, float gg, float bb) = sector switch
            {
                0 => (v, t, p),
                1 => (q, v, p),
                2 => (p, v, t),
                3 => (p, q, v),
                4 => (t, p, v),
                _ => (v, p, q),
            };
            d[i] = PixelMath.ToByte(rr * 255f);
            d[i + 1] = PixelMath.ToByte(gg * 255f);
            d[i + 2] = PixelMath.ToByte(bb * 255f);
        }
        return dst;
    }

    /// <summary>Replaces each pixel by its luma in all three channels (PIL convert("L") then back to RGB).</summary>
    public static RgbImage Grayscale(RgbImage image)
    {
        var dst = new RgbImage(image.Width, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        for (int i = 0; i < s.Length; i += 3)
        {
            byte l = PixelMath.Luma(s[i], s[i + 1], s[i + 2]);
            d[i] = l;
            d[i + 1] = l;
            d[i + 2] = l;
        }
        return dst;
    }

    /// <summary>
    /// Sharpness (PIL ImageEnhance.Sharpness): blends with the image smoothed by the 3×3 kernel
    /// [1 1 1; 1 5 1; 1 1 1]/13, whose border pixels are left unsmoothed as in PIL.
    /// </summary>
    public static RgbImage Sharpness(RgbImage image, float factor)
    {
        int w = image.Width, h = image.Height, stride = image.Stride;
        var s = image.Pixels;
        var smooth = (byte[])s.Clone();
        for (int y = 1; y < h - 1; y++)
        for (int x = 1; x < w - 1; x++)
        for (int c = 0; c < 3; c++)
        {
            int i = y * stride + x * 3 + c;
            int sum = s[i - stride - 3] + s[i - stride] + s[i - stride + 3]
                      + s[i - 3] + 5 * s[i] + s[i + 3]
                      + s[i + stride - 3] + s[i + stride] + s[i + stride + 3];
            smooth[i] = (byte)((sum + 6) / 13);
        }
        var dst = new RgbImage(w, h);
        var d = dst.Pixels;
        for (int i = 0; i < s.Length; i++) d[i] = PixelMath.ToByte(smooth[i] + factor * (s[i] - smooth[i]));
        return dst;
    }
}
