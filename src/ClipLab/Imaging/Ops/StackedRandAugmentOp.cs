namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>stacked_randaug(N, M, strength, mstd)</c>: Stacked RandAugment as the Supervised Contrastive Learning paper
/// (Khosla et al. 2020) uses it, citing InfoMin (Tian et al. 2020); the recipe is InfoMin's augmentation "D" in
/// PyContrast (<c>datasets/util.py</c>, <c>build_transforms</c>). Per image, in this order: colour jitter
/// (0.8s, 0.8s, 0.8s, 0.2s) with p = 0.8 → Gaussian blur with p = 0.5, σ ∈ [0.1, 2], kernel ≈ 10% of the side →
/// RandAugment(N, M, mstd) of the <see cref="RandAugmentRecipe.InfoMin"/> recipe (15 transforms, each drawn one
/// applied with p = 0.5, M on the 0–10 scale, ImageNet-mean fill) → grayscale with p = 0.2. Defaults are InfoMin's:
/// N = 2, M = 10, mstd = 0.5 (<c>rand-n2-m10-mstd0.5</c>), s = 1. Cropping and flipping stay separate ops in the
/// pipeline (see the <c>stacked-randaug</c> preset).
/// </summary>
public sealed class StackedRandAugmentOp : IImageOp
{
    private readonly IImageOp[] _steps;

    /// <summary>Creates the op.</summary>
    public StackedRandAugmentOp(int count = 2, double magnitude = 10, double colorStrength = 1.0, double magnitudeStd = 0.5)
    {
        if (colorStrength is < 0 or > 2.5) throw new ArgumentOutOfRangeException(nameof(colorStrength), "colour strength must be in [0, 2.5] (hue 0.2·s ≤ 0.5)");
        RandAugment = new RandAugmentOp(count, magnitude, magnitudeStd, recipe: RandAugmentRecipe.InfoMin);
        ColorStrength = colorStrength;
        _steps =
        [
            new ColorJitterOp(0.8 * colorStrength, 0.8 * colorStrength, 0.8 * colorStrength, 0.2 * colorStrength, 0.8),
            new GaussianBlurOp(0.5, 0.1, 2.0),
            RandAugment,
            new GrayscaleOp(0.2),
        ];
    }

    /// <summary>The RandAugment step (InfoMin recipe).</summary>
    public RandAugmentOp RandAugment { get; }

    /// <summary>SimCLR colour distortion strength s.</summary>
    public double ColorStrength { get; }

    /// <summary>The four steps in the order they run.</summary>
    public IReadOnlyList<IImageOp> Steps => _steps;

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        foreach (var step in _steps) image = step.Apply(image, rng);
        return image;
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
