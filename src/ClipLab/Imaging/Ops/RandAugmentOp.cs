namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>randaug(N, M, mstd)</c>: RandAugment (Cubuk et al. 2019). N times, a transform is drawn uniformly (with
/// replacement) from the recipe's pool and applied at magnitude M on the paper's 0–10 scale (10 = the strongest
/// setting), with a random sign for the signed transforms. With <c>mstd</c> &gt; 0 (timm's magnitude noise) each
/// application draws its magnitude from N(M, mstd), clipped to [0, 10]. <see cref="RandAugmentRecipe"/> says which
/// published variant (pool, strengths, per-transform probability) is followed; <c>randaug</c> in a pipeline is
/// <see cref="RandAugmentRecipe.Paper"/>, the InfoMin variant is used inside <see cref="StackedRandAugmentOp"/>.
/// </summary>
public sealed class RandAugmentOp : IImageOp
{
    /// <summary>Top of the magnitude scale (Cubuk et al.'s and timm's <c>_LEVEL_DENOM</c>).</summary>
    public const double MaxMagnitude = 10;

    /// <summary>Cubuk et al.'s 14 transforms.</summary>
    public static IReadOnlyList<RandAugmentTransform> PaperTransforms { get; } =
    [
        RandAugmentTransform.Identity, RandAugmentTransform.AutoContrast, RandAugmentTransform.Equalize, RandAugmentTransform.Rotate,
        RandAugmentTransform.Solarize, RandAugmentTransform.Color, RandAugmentTransform.Posterize, RandAugmentTransform.Contrast,
        RandAugmentTransform.Brightness, RandAugmentTransform.Sharpness, RandAugmentTransform.ShearX, RandAugmentTransform.ShearY,
        RandAugmentTransform.TranslateX, RandAugmentTransform.TranslateY,
    ];

    /// <summary>InfoMin's 15 transforms (PyContrast's <c>_RAND_TRANSFORMS</c>).</summary>
    public static IReadOnlyList<RandAugmentTransform> InfoMinTransforms { get; } =
    [
        RandAugmentTransform.AutoContrast, RandAugmentTransform.Equalize, RandAugmentTransform.Invert, RandAugmentTransform.Rotate,
        RandAugmentTransform.Posterize, RandAugmentTransform.Solarize, RandAugmentTransform.SolarizeAdd, RandAugmentTransform.Color,
        RandAugmentTransform.Contrast, RandAugmentTransform.Brightness, RandAugmentTransform.Sharpness, RandAugmentTransform.ShearX,
        RandAugmentTransform.ShearY, RandAugmentTransform.TranslateX, RandAugmentTransform.TranslateY,
    ];

    /// <summary>PyContrast's fill for InfoMin: the ImageNet mean, round(255 · (0.485, 0.456, 0.406)).</summary>
    public static RgbColor ImageNetMeanFill => new(124, 116, 104);

    private readonly RandAugmentTransform[] _transforms;

    /// <summary>Creates the op; <paramref name="transforms"/> restricts the pool (default: the recipe's).</summary>
    /// <param name="count">Transforms per image (N).</param>
    /// <param name="magnitude">M on the 0–10 scale.</param>
    /// <param name="magnitudeStd">Standard deviation of per-application magnitude noise (0: fixed).</param>
    /// <param name="transforms">Transform pool; default the recipe's.</param>
    /// <param name="fill">Colour of uncovered pixels; default timm's grey (Paper) or the ImageNet mean (InfoMin).</param>
    /// <param name="recipe">Which published RandAugment to follow.</param>
    public RandAugmentOp(int count, double magnitude, double magnitudeStd = 0, IReadOnlyList<RandAugmentTransform>? transforms = null,
        RgbColor? fill = null, RandAugmentRecipe recipe = RandAugmentRecipe.Paper)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), "N must be ≥ 0");
        if (magnitude is < 0 or > MaxMagnitude) throw new ArgumentOutOfRangeException(nameof(magnitude), $"M must be in [0, {MaxMagnitude}]");
        if (magnitudeStd < 0) throw new ArgumentOutOfRangeException(nameof(magnitudeStd), "mstd must be ≥ 0");
        if (!Enum.IsDefined(recipe)) throw new ArgumentOutOfRangeException(nameof(recipe), recipe, null);
        Recipe = recipe;
        _transforms = (transforms ?? (recipe == RandAugmentRecipe.Paper ? PaperTransforms : InfoMinTransforms)).ToArray();
        if (_transforms.Length == 0) throw new ArgumentException("RandAugment needs at least one transform", nameof(transforms));
        Count = count;
        Magnitude = magnitude;
        MagnitudeStd = magnitudeStd;
        Fill = fill ?? (recipe == RandAugmentRecipe.Paper ? RgbColor.MidGrey : ImageNetMeanFill);
    }

    /// <summary>Transforms applied per image (N).</summary>
    public int Count { get; }

    /// <summary>Magnitude M on the 0–10 scale.</summary>
    public double Magnitude { get; }

    /// <summary>Standard deviation of the per-application magnitude noise (0: fixed magnitude).</summary>
    public double MagnitudeStd { get; }

    /// <summary>Colour of pixels uncovered by rotate/shear/translate.</summary>
    public RgbColor Fill { get; }

    /// <summary>The published variant followed.</summary>
    public RandAugmentRecipe Recipe { get; }

    /// <summary>Probability that a drawn transform runs: 1 in Cubuk et al., 0.5 in InfoMin/timm.</summary>
    public double TransformProbability => Recipe == RandAugmentRecipe.Paper ? 1.0 : 0.5;

    /// <summary>The transform pool.</summary>
    public IReadOnlyList<RandAugmentTransform> Transforms => _transforms;

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        for (int i = 0; i < Count; i++)
        {
            var transform = _transforms[rng.Next(_transforms.Length)];
            if (TransformProbability < 1 && !(rng.NextDouble() < TransformProbability)) continue;
            double m = Magnitude;
            if (MagnitudeStd > 0) m = Math.Clamp(m + MagnitudeStd * StandardNormal(rng), 0, MaxMagnitude);
            double sign = rng.NextDouble() < 0.5 ? -1 : 1;
            image = ApplyTransform(image, transform, m, sign, Fill, Recipe);
        }
        return image;
    }

    /// <summary>
    /// Applies one transform at <paramref name="magnitude"/> (0–10) with the given sign (±1, used by the signed
    /// transforms) as <paramref name="recipe"/> defines its strength.
    /// </summary>
    public static RgbImage ApplyTransform(RgbImage image, RandAugmentTransform transform, double magnitude, double sign, RgbColor fill,
        RandAugmentRecipe recipe = RandAugmentRecipe.Paper)
    {
        ArgumentNullException.ThrowIfNull(image);
        double level = Math.Clamp(magnitude, 0, MaxMagnitude) / MaxMagnitude;
        bool paper = recipe == RandAugmentRecipe.Paper;
        // Paper: factor 1 ± 0.9·level (torchvision/timm "increasing"); InfoMin: 0.1 + 1.8·level, never below 1 − 0.9.
        float enhance = (float)(paper ? 1 + sign * 0.9 * level : 0.1 + 1.8 * level);
        return transform switch
        {
            RandAugmentTransform.Identity => image,
            RandAugmentTransform.AutoContrast => HistogramAdjust.AutoContrast(image),
            RandAugmentTransform.Equalize => HistogramAdjust.Equalize(image),
            RandAugmentTransform.Invert => HistogramAdjust.Solarize(image, 0),
            RandAugmentTransform.Rotate => level == 0 ? image : AffineWarp.Rotate(image, sign * 30 * level, fill),
            RandAugmentTransform.Solarize => HistogramAdjust.Solarize(image, paper ? (int)Math.Round(256 * (1 - level)) : (int)(256 * level)),
            RandAugmentTransform.SolarizeAdd => HistogramAdjust.SolarizeAdd(image, (int)(110 * level), 128),
            RandAugmentTransform.Color => ColorAdjust.Saturation(image, enhance),
            RandAugmentTransform.Posterize => HistogramAdjust.Posterize(image, paper ? 8 - (int)Math.Round(4 * level, MidpointRounding.ToEven) : (int)(4 * level)),
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
