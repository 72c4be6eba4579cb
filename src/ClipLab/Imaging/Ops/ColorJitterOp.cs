namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>color_jitter(brightness, contrast, saturation, hue, p)</c>: torchvision ColorJitter inside RandomApply(p).
/// Brightness, contrast and saturation factors are uniform in [max(0, 1 − x), 1 + x], the hue shift uniform in
/// [−hue, hue]; the four adjustments run in a random order. A zero strength skips that adjustment.
/// </summary>
public sealed class ColorJitterOp : IImageOp
{
    /// <summary>Creates the op; strengths ≥ 0, hue ≤ 0.5, p in [0, 1].</summary>
    public ColorJitterOp(double brightness, double contrast, double saturation, double hue, double probability = 1.0)
    {
        if (brightness < 0 || contrast < 0 || saturation < 0) throw new ArgumentOutOfRangeException(nameof(brightness), "strengths must be ≥ 0");
        if (hue is < 0 or > 0.5) throw new ArgumentOutOfRangeException(nameof(hue), "hue must be in [0, 0.5]");
        if (probability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), "p must be in [0, 1]");
        Brightness = brightness;
        Contrast = contrast;
        Saturation = saturation;
        Hue = hue;
        Probability = probability;
    }

    /// <summary>Brightness strength.</summary>
    public double Brightness { get; }

    /// <summary>Contrast strength.</summary>
    public double Contrast { get; }

    /// <summary>Saturation strength.</summary>
    public double Saturation { get; }

    /// <summary>Largest hue shift (turns).</summary>
    public double Hue { get; }

    /// <summary>Probability of jittering at all.</summary>
    public double Probability { get; }

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        if (!(rng.NextDouble() < Probability)) return image;
        Span<int> order = [0, 1, 2, 3];
        rng.Shuffle(order);
        float b = Factor(Brightness, rng), c = Factor(Contrast, rng), s = Factor(Saturation, rng);
        float h = Hue > 0 ? (float)((rng.NextDouble() * 2 - 1) * Hue) : 0f;
        foreach (int step in order)
        {
            image = step switch
            {
                0 when Brightness > 0 => ColorAdjust.Brightness(image, b),
                1 when Contrast > 0 => ColorAdjust.Contrast(image, c),
                2 when Saturation > 0 => ColorAdjust.Saturation(image, s),
                3 when Hue > 0 => ColorAdjust.Hue(image, h),
                _ => image,
            };
        }
        return image;
    }

    private static float Factor(double strength, Random rng) =>
        strength > 0 ? (float)(Math.Max(0, 1 - strength) + rng.NextDouble() * (1 + strength - Math.Max(0, 1 - strength))) : 1f;

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
