namespace ClipLab.Imaging;

/// <summary>Lookup-table colour ops of RandAugment with PIL ImageOps semantics.</summary>
public static class HistogramAdjust
{
    /// <summary>Inverts every channel value at or above <paramref name="threshold"/> (256 leaves the image unchanged).</summary>
    public static RgbImage Solarize(RgbImage image, int threshold)
    {
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? i : 255 - i);
        return PixelMath.ApplyLut(image, lut);
    }

    /// <summary>Adds <paramref name="add"/> to every channel value below <paramref name="threshold"/>, capped at 255 (timm's SolarizeAdd).</summary>
    public static RgbImage SolarizeAdd(RgbImage image, int add, int threshold)
    {
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)(i < threshold ? Math.Clamp(i + add, 0, 255) : i);
        return PixelMath.ApplyLut(image, lut);
    }

    /// <summary>Keeps the <paramref name="bits"/> most significant bits of each channel (0–8; 8 is unchanged, 0 is black as in PIL).</summary>
    public static RgbImage Posterize(RgbImage image, int bits)
    {
        if (bits is < 0 or > 8) throw new ArgumentOutOfRangeException(nameof(bits), "posterize bits must be in [0, 8]");
        byte mask = (byte)~((1 << (8 - bits)) - 1);
        var lut = new byte[256];
        for (int i = 0; i < 256; i++) lut[i] = (byte)(i & mask);
        return PixelMath.ApplyLut(image, lut);
    }

    /// <summary>Stretches each channel so its darkest value maps to 0 and its brightest to 255 (flat channels are kept).</summary>
    public static RgbImage AutoContrast(RgbImage image)
    {
        var luts = new byte[3][];
        var s = image.Pixels;
        for (int c = 0; c < 3; c++)
        {
            int lo = 255, hi = 0;
            for (int i = c; i < s.Length; i += 3)
            {
                if (s[i] < lo) lo = s[i];
                if (s[i] > hi) hi = s[i];
            }
            var lut = new byte[256];
            if (hi <= lo)
            {
                for (int i = 0; i < 256; i++) lut[i] = (byte)i;
            }
            else
            {
                double scale = 255.0 / (hi - lo), offset = -lo * scale;
                for (int i = 0; i < 256; i++) lut[i] = (byte)Math.Clamp((int)(i * scale + offset), 0, 255);
            }
            luts[c] = lut;
        }
        return PixelMath.ApplyLut(image, null, luts);
    }

    /// <summary>Equalizes each channel's histogram (PIL ImageOps.equalize).</summary>
    public static RgbImage Equalize(RgbImage image)
    {
        var luts = new byte[3][];
        var s = image.Pixels;
        Span<int> histogram = stackalloc int[256];
        for (int c = 0; c < 3; c++)
        {
            histogram.Clear();
            for (int i = c; i < s.Length; i += 3) histogram[s[i]]++;
            int last = 255;
            while (last > 0 && histogram[last] == 0) last--;
            int total = 0;
            for (int i = 0; i < 256; i++) total += histogram[i];
            int step = (total - histogram[last]) / 255;
            var lut = new byte[256];
            if (step == 0)
            {
                for (int i = 0; i < 256; i++) lut[i] = (byte)i;
            }
            else
            {
                int n = step / 2;
                for (int i = 0; i < 256; i++)
                {
                    lut[i] = (byte)Math.Min(255, n / step);
                    n += histogram[i];
                }
            }
            luts[c] = lut;
        }
        return PixelMath.ApplyLut(image, null, luts);
    }
}
