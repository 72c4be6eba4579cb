using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>rotate</c>: rotation about the centre by <see cref="Degrees"/>, clockwise or counter-clockwise with equal
/// probability (drawn from the <see cref="Random"/> passed in, so a seed per image reproduces it), bilinear, with
/// the uncovered corners filled black (Fashion-MNIST's background). The angle is fixed rather than drawn from a
/// range so every image is shifted by the same amount: the benchmark measures one severity.
/// </summary>
/// <param name="degrees">Rotation magnitude in degrees, in (0, 180].</param>
public sealed class RotationShift(double degrees = 30) : IImageOp
{
    /// <summary>Rotation magnitude in degrees.</summary>
    public double Degrees { get; } = degrees is > 0 and <= 180 ? degrees : throw new ArgumentOutOfRangeException(nameof(degrees), "degrees must be in (0, 180]");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        double angle = rng.Next(2) == 0 ? Degrees : -Degrees;
        return AffineWarp.Rotate(image, angle, new RgbColor(0, 0, 0));
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
