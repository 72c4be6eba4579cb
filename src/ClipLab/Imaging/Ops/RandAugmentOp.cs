namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>randaug(N, M, mstd)</c>: RandAugment (Cubuk et al. 2019) as torchvision/timm implement it. N times, a
/// transform is drawn uniformly (with replacement) from the 14 of <see cref="RandAugmentTransform"/> and applied
/// at magnitude M on the 0–30 scale (torchvision's 31 bins): strength = M/30 of the maximum — rotate 30°,
/// shear 0.3, translate 0.45 of the side, enhance factors 1 ± 0.9, posterize 8 → 4 bits, solarize threshold
/// 256 → 0 — with a random sign for the signed transforms. With <c>mstd</c> &gt; 0 (timm's magnitude noise) each
/// application draws its magnitude from N(M, mstd), clipped to [0, 30]. Uncovered pixels get timm's grey fill.
/// </summary>
public sealed class RandAugmentOp : IImageOp
{
    /// <summary>Top of the magnitude scale.</summary>
    public const double MaxMagnitude = 30;

    private static readonly RandAugmentTransform[] AllTransforms = Enum.GetValues<RandAugmentTransform>();
    private readonly RandAugmentTransform[] _transforms;

    /// <summary>Creates the op; <paramref name="transforms"/> restricts the pool (default: all 14).</summary>
    public RandAugmentOp(int count, double magnitude, double magnitudeStd = 0, IReadOnlyList<RandAugmentTransform>? transforms = null, RgbColor? fill = null)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "N must be ≥ 0");
        if (magnitude is < 0 or > MaxMagnitude) throw new ArgumentOutOfRangeException(nameof(magnitude), $"M must be in [0, {MaxMagnitude}]");
        if (magnitudeStd < 0) throw new ArgumentOutOfRangeException(nameof(magnitudeStd), "mstd must be ≥ 0");
        _transforms = (transforms ?? AllTransforms).ToArray();
        if (_transforms.Length == 0) throw new ArgumentException("RandAugment needs at least one transform", nameof(transforms));
        Count = count;
        Magnitude = magnitude;
        MagnitudeStd = magnitudeStd;
        Fill = fill ?? RgbColor.MidGrey;
    }

    /// <summary>Transforms applied per image (N).</summary>
    public int Count { get; }

    /// <summary>Magnitude M on the 0–30 scale.</summary>
    public double Magnitude { get; }

    /// <summary>Standard deviation of the per-application magnitude noise (0: fixed magnitude).</summary>
    public double MagnitudeStd { get; }

    /// <summary>Colour of pixels uncovered by rotate/shear/translate.</summary>
    public RgbColor Fill { get; }

    /// <summary>The transform pool.</summary>
    public IReadOnlyList<RandAugmentTransform> Transforms => _transforms;

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        for (int i = 0; i < Count; i++)
        {
            var transform = _transforms[rng.Next(_transforms.Length)];
            double m = Magnitude;
            if (MagnitudeStd > 0) m = Math.Clamp(m + MagnitudeStd * StandardNormal(rng), 0, MaxMagnitude);
            double sign = rng.NextDouble() < 0.5 ? -1 : 1;
            image = ApplyTransform(image, transform, m / MaxMagnitude, sign, Fill);
        }
        return image;
    }

    /// <summary>Applies one transform at relative strength <paramref name="level"/> in [0, 1] with the given sign (±1).</summary>
    public static RgbImage ApplyTransform(RgbImage image, RandAugmentTransform transform, double level, double sign, RgbColor fill)
    {
        float enhance = (float)(1 + sign * 0.9 * level);
        return transform switch
        {
            RandAugmentTransform.Identity => image,
            RandAugmentTransform.AutoContrast => HistogramAdjust.AutoContrast(image),
            RandAugmentTransform.Equalize => HistogramAdjust.Equalize(image),
            RandAugmentTransform.Rotate => level == 0 ? image : AffineWarp.Rotate(image, sign * 30 * level, fill),
            RandAugmentTransform.Solarize => HistogramAdjust.Solarize(image, (int)Math.Round(256 * (1 - level))),
            RandAugmentTransform.Color => ColorAdjust.Saturation(image, enhance),
            RandAugmentTransform.Posterize => HistogramAdjust.Posterize(image, 8 - (int)Math.Round(4 * level, MidpointRounding.ToEven)),
            RandAugmentTransform.Contrast => ColorAdjust.Contrast(image, enhance),
            RandAugmentTransform.Brightness => ColorAdjust.Brightness(image, enhance),
            RandAugmentTransform.Sharpness => ColorAdjust.Sharpness(image, enhance),
            RandAugmentTransform.ShearX => level == 0 ? image : AffineWarp.ShearX(image, sign * 0.3 * level, fill),
            RandAugmentTransform.ShearY => level == 0 ? image : AffineWarp.ShearY(image, sign * 0.3 * level, fill),
            RandAugmentTransform.TranslateX => level == 0 ? image : AffineWarp.Translate(image, sign * 0.45 * level * image.Width, 0, fill),
            RandAugmentTransform.TranslateY => level == 0 ? image : AffineWarp.Translate(image, 0, sign * 0.45 * level * image.Height, fill),
            _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, null),
        };
    }

    /// <summary>Box–Muller normal draw from the op's own <see cref="Random"/> (keeps runs reproducible).</summary>
    private static double StandardNormal(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
