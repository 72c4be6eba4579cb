namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>gaussian_blur(p, sigma_min, sigma_max)</c>: SimCLR's blur — with probability p, blur with σ drawn
/// uniformly from [sigma_min, sigma_max] pixels and a kernel of ~10% of the shorter side (odd, at least 3).
/// </summary>
public sealed class GaussianBlurOp : IImageOp
{
    /// <summary>Creates the op (defaults 0.5, 0.1, 2.0 as SimCLR / SLIP).</summary>
    public GaussianBlurOp(double probability = 0.5, double sigmaMin = 0.1, double sigmaMax = 2.0)
    {
        if (probability is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(probability), "p must be in [0, 1]");
        if (!(sigmaMin > 0 && sigmaMin <= sigmaMax)) throw new ArgumentException($"need 0 < sigma_min ≤ sigma_max, got ({sigmaMin}, {sigmaMax})");
        Probability = probability;
        SigmaMin = sigmaMin;
        SigmaMax = sigmaMax;
    }

    /// <summary>Probability of blurring.</summary>
    public double Probability { get; }

    /// <summary>Smallest σ.</summary>
    public double SigmaMin { get; }

    /// <summary>Largest σ.</summary>
    public double SigmaMax { get; }

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        if (!(rng.NextDouble() < Probability)) return image;
        double sigma = SigmaMin + rng.NextDouble() * (SigmaMax - SigmaMin);
        return GaussianBlurFilter.Blur(image, KernelSize(image.Width, image.Height), sigma);
    }

    /// <summary>SimCLR's kernel: 10% of the shorter side, made odd, at least 3.</summary>
    public static int KernelSize(int width, int height) => Math.Max(3, (int)(0.1 * Math.Min(width, height)) | 1);

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
