using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>noise</c>: additive Gaussian noise of standard deviation <see cref="Sigma"/> (as a fraction of the 0–255
/// range; the default 0.18 is ImageNet-C's Gaussian-noise severity 3), clamped to the valid range. One draw per
/// pixel is added to all three channels: a grayscale image stays grayscale, so a grayscale benchmark keeps its
/// format and its noise level (independent per-channel noise would partly average out in the conversion back).
/// The noise comes from the <see cref="Random"/> passed in, so a seed per image reproduces it.
/// </summary>
/// <param name="sigma">Noise standard deviation as a fraction of full scale, in (0, 1].</param>
public sealed class GaussianNoiseShift(double sigma = 0.18) : IImageOp
{
    /// <summary>Noise standard deviation as a fraction of full scale.</summary>
    public double Sigma { get; } = sigma is > 0 and <= 1 ? sigma : throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must be in (0, 1]");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        var dst = new RgbImage(image.Width, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        double scale = Sigma * 255;
        for (int i = 0; i < s.Length; i += 3)
        {
            // Box–Muller: two uniforms give one standard normal draw (1 − u keeps the log's argument positive).
            double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
            float n = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            d[i] = PixelMath.ToByte(s[i] + n);
            d[i + 1] = PixelMath.ToByte(s[i + 1] + n);
            d[i + 2] = PixelMath.ToByte(s[i + 2] + n);
        }
        return dst;
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
