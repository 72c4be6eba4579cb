namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>stacked_randaug(N, M, strength, mstd)</c>: Stacked RandAugment as the Supervised Contrastive Learning paper
/// (Khosla et al. 2020, appendix "Data Augmentation") defines it, citing InfoMin (Tian et al. 2020): SimCLR's
/// augmentation ("SimAugment") with an additional RandAugment step before its colour jitter. Per image:
/// RandAugment(N, M, mstd) → colour jitter (0.8s, 0.8s, 0.8s, 0.2s) with p = 0.8 → grayscale p = 0.2 →
/// Gaussian blur p = 0.5, σ ∈ [0.1, 2]. Defaults follow InfoMin's code: N = 2, M = 10 (timm's "rand-n2-m10-mstd0.5"),
/// colour strength s = 1. Cropping and flipping stay separate ops in the pipeline (see the
/// <c>stacked-randaug</c> preset), as in SimAugment.
/// </summary>
public sealed class StackedRandAugmentOp : IImageOp
{
    private readonly IImageOp[] _steps;

    /// <summary>Creates the op.</summary>
    public StackedRandAugmentOp(int count = 2, double magnitude = 10, double colorStrength = 1.0, double magnitudeStd = 0.5)
    {
        if (colorStrength is < 0 or > 2.5) throw new ArgumentOutOfRangeException(nameof(colorStrength), "colour strength must be in [0, 2.5] (hue 0.2·s ≤ 0.5)");
        RandAugment = new RandAugmentOp(count, magnitude, magnitudeStd);
        ColorStrength = colorStrength;
        _steps =
        [
            RandAugment,
            new ColorJitterOp(0.8 * colorStrength, 0.8 * colorStrength, 0.8 * colorStrength, 0.2 * colorStrength, 0.8),
            new GrayscaleOp(0.2),
            new GaussianBlurOp(0.5, 0.1, 2.0),
        ];
    }

    /// <summary>The RandAugment step.</summary>
    public RandAugmentOp RandAugment { get; }

    /// <summary>SimCLR colour distortion strength s.</summary>
    public double ColorStrength { get; }

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        foreach (var step in _steps) image = step.Apply(image, rng);
        return image;
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
