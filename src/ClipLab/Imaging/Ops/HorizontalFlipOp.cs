namespace ClipLab.Imaging.Ops;

/// <summary><c>flip(p)</c>: mirrors left–right with probability p (default 0.5, torchvision RandomHorizontalFlip).</summary>
public sealed class HorizontalFlipOp(double probability = 0.5) : IImageOp
{
    /// <summary>Probability of flipping.</summary>
    public double Probability { get; } = probability is >= 0 and <= 1 ? probability : throw new ArgumentOutOfRangeException(nameof(probability), "p must be in [0, 1]");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng) => rng.NextDouble() < Probability ? Mirror(image) : image;

    /// <summary>The left–right mirror image.</summary>
    public static RgbImage Mirror(RgbImage image)
    {
        int w = image.Width;
        var dst = new RgbImage(w, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        for (int y = 0; y < image.Height; y++)
        {
            int row = y * w * 3;
            for (int x = 0; x < w; x++)
            {
                int si = row + x * 3, di = row + (w - 1 - x) * 3;
                d[di] = s[si];
                d[di + 1] = s[si + 1];
                d[di + 2] = s[si + 2];
            }
        }
        return dst;
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
