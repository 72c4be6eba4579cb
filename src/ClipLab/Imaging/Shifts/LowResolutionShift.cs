using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>lowres</c>: the image downsampled by <see cref="Factor"/> (antialiased triangle filter) and upsampled back
/// to its size, so it keeps its dimensions but loses the detail finer than Factor pixels — a low-resolution
/// capture shown at full size. The default factor 4 turns 28-pixel Fashion-MNIST into 7×7 pixels of
/// information. Deterministic.
/// </summary>
/// <param name="factor">Downsampling factor, at least 2.</param>
public sealed class LowResolutionShift(int factor = 4) : IImageOp
{
    /// <summary>Downsampling factor.</summary>
    public int Factor { get; } = factor is >= 2 and <= 64 ? factor : throw new ArgumentOutOfRangeException(nameof(factor), "factor must be in [2, 64]");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        int w = Math.Max(1, (int)Math.Round((double)image.Width / Factor)), h = Math.Max(1, (int)Math.Round((double)image.Height / Factor));
        var small = TriangleResampler.Resize(image, w, h);
        return TriangleResampler.Resize(small, image.Width, image.Height);
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
