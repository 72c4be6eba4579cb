namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>random_resized_crop(S, scale_min, scale_max, ratio_min, ratio_max)</c>: torchvision's RandomResizedCrop.
/// Up to 10 attempts draw an area fraction uniformly from [scale_min, scale_max] and a log-uniform aspect
/// ratio; the first box that fits is used, otherwise a centre crop clamped to the ratio range. The box is
/// resampled straight to S × S (antialiased) without materialising the crop.
/// </summary>
public sealed class RandomResizedCropOp : IImageOp
{
    /// <summary>Creates the op (defaults scale (0.08, 1), ratio (3/4, 4/3) as torchvision).</summary>
    public RandomResizedCropOp(int size, double scaleMin = 0.08, double scaleMax = 1.0, double ratioMin = 3.0 / 4, double ratioMax = 4.0 / 3)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1))
            throw new ArgumentException($"need 0 < scale_min ≤ scale_max ≤ 1, got ({scaleMin}, {scaleMax})");
        if (!(ratioMin > 0 && ratioMin <= ratioMax))
            throw new ArgumentException($"need 0 < ratio_min ≤ ratio_max, got ({ratioMin}, {ratioMax})");
        Size = size;
        ScaleMin = scaleMin;
        ScaleMax = scaleMax;
        RatioMin = ratioMin;
        RatioMax = ratioMax;
    }

    /// <summary>Output side.</summary>
    public int Size { get; }

    /// <summary>Smallest area fraction.</summary>
    public double ScaleMin { get; }

    /// <summary>Largest area fraction.</summary>
    public double ScaleMax { get; }

    /// <summary>Smallest width/height ratio.</summary>
    public double RatioMin { get; }

    /// <summary>Largest width/height ratio.</summary>
    public double RatioMax { get; }

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        var (left, top, w, h) = SampleBox(image.Width, image.Height, rng);
        return TriangleResampler.ResizeRegion(image, left, top, w, h, Size, Size);
    }

    /// <summary>The crop box (left, top, width, height) torchvision's get_params would draw.</summary>
    public (int Left, int Top, int Width, int Height) SampleBox(int width, int height, Random rng)
    {
        double area = (double)width * height;
        double logMin = Math.Log(RatioMin), logMax = Math.Log(RatioMax);
        for (int attempt = 0; attempt < 10; attempt++)
        {
            double target = area * (ScaleMin + rng.NextDouble() * (ScaleMax - ScaleMin));
            double aspect = Math.Exp(logMin + rng.NextDouble() * (logMax - logMin));
            int w = (int)Math.Round(Math.Sqrt(target * aspect), MidpointRounding.ToEven);
            int h = (int)Math.Round(Math.Sqrt(target / aspect), MidpointRounding.ToEven);
            if (w > 0 && w <= width && h > 0 && h <= height)
                return (rng.Next(width - w + 1), rng.Next(height - h + 1), w, h);
        }
        // Fallback: the whole image, cut down to the nearest allowed aspect ratio, centred.
        double inRatio = (double)width / height;
        int cw, ch;
        if (inRatio < RatioMin)
        {
            cw = width;
            ch = Math.Max(1, (int)Math.Round(cw / RatioMin, MidpointRounding.ToEven));
        }
        else if (inRatio > RatioMax)
        {
            ch = height;
            cw = Math.Max(1, (int)Math.Round(ch * RatioMax, MidpointRounding.ToEven));
        }
        else
        {
            cw = width;
            ch = height;
        }
        return ((width - cw) / 2, (height - ch) / 2, cw, ch);
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => Size;
}
