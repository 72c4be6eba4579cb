using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>blur</c>: Gaussian blur of fixed standard deviation <see cref="Sigma"/> pixels with a kernel of
/// 2⌈3σ⌉ + 1 taps (the whole bell, unlike SimCLR's 10%-of-the-side kernel, which on a 28-pixel image would
/// truncate it to 3 taps). The default σ = 1 px on 28-pixel Fashion-MNIST equals σ = 8 px at 224 px — a strong
/// defocus, in the spirit of ImageNet-C's blur corruptions. Deterministic.
/// </summary>
/// <param name="sigma">Standard deviation in pixels of the image being shifted.</param>
public sealed class GaussianBlurShift(double sigma = 1.0) : IImageOp
{
    /// <summary>Standard deviation in pixels.</summary>
    public double Sigma { get; } = sigma is > 0 and <= 100 ? sigma : throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must be in (0, 100] pixels");

    /// <summary>Kernel taps: 2⌈3σ⌉ + 1.</summary>
    public int KernelSize => 2 * (int)Math.Ceiling(3 * Sigma) + 1;

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng) => GaussianBlurFilter.Blur(image, KernelSize, Sigma);

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
