using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>contrast</c>: contrast reduced to <see cref="Factor"/> of the original by blending every pixel with the
/// image's mean luma (PIL ImageEnhance.Contrast / torchvision adjust_contrast), like a washed-out print or
/// ImageNet-C's contrast corruption. Deterministic.
/// </summary>
/// <param name="factor">Remaining contrast in (0, 1); the default 0.3 keeps the object visible but faint.</param>
public sealed class ContrastReductionShift(double factor = 0.3) : IImageOp
{
    /// <summary>Remaining contrast: 1 is the original, 0 flat grey.</summary>
    public double Factor { get; } = factor is > 0 and < 1 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), "contrast factor must be in (0, 1)");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng) => ColorAdjust.Contrast(image, (float)Factor);

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
