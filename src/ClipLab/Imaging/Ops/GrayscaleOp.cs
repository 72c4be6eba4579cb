namespace ClipLab.Imaging.Ops;

/// <summary><c>grayscale(p)</c>: with probability p (default 0.1 as torchvision RandomGrayscale) sets R = G = B = luma.</summary>
public sealed class GrayscaleOp(double probability = 0.1) : IImageOp
{
    /// <summary>Probability of converting.</summary>
    public double Probability { get; } = probability is >= 0 and <= 1 ? probability : throw new ArgumentOutOfRangeException(nameof(probability), "p must be in [0, 1]");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng) => rng.NextDouble() < Probability ? ColorAdjust.Grayscale(image) : image;

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
