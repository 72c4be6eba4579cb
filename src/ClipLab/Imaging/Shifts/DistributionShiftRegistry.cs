namespace ClipLab.Imaging.Shifts;

/// <summary>
/// The distribution-shifted test variants, by name, each at one fixed severity: they play the role of the
/// paper's ImageNet variants (Sketch, R, A, V2, …), which do not exist for the small benchmarks here. The
/// severities are chosen for 28-pixel Fashion-MNIST; each shift's class documents its own.
/// </summary>
public static class DistributionShiftRegistry
{
    /// <summary>Seed of the shifted benchmarks (changing it makes a different, equally valid benchmark).</summary>
    public const ulong DefaultSeed = 20240412;

    private static readonly DistributionShift[] All =
    [
        new("sketch", "pencil sketch: dark Sobel edges on white, fill removed", new SketchShift()),
        new("contrast", "contrast reduced to 30% (blend with mean grey)", new ContrastReductionShift(0.3)),
        new("invert", "photographic negative (255 - v)", new InversionShift()),
        new("noise", "Gaussian noise, sigma 0.18 of full scale (ImageNet-C severity 3)", new GaussianNoiseShift(0.18)),
        new("blur", "Gaussian blur, sigma 1 px at 28 px", new GaussianBlurShift(1.0)),
        new("lowres", "downsampled 4x and upsampled back", new LowResolutionShift(4)),
        new("rotate", "rotated by 30 degrees, direction random per image", new RotationShift(30)),
    ];

    /// <summary>Every registered shift, in report order.</summary>
    public static IReadOnlyList<DistributionShift> Shifts => All;

    /// <summary>The registered names, in report order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToArray();

    /// <summary>The shift named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No shift has that name; the message lists the valid ones.</exception>
    public static DistributionShift Get(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? throw new ArgumentException($"unknown distribution shift '{name}'. Valid shifts: {string.Join(", ", Names)}");
}
