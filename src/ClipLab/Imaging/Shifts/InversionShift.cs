using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>invert</c>: every channel v becomes 255 − v (a photographic negative): the same shapes with reversed
/// polarity, e.g. Fashion-MNIST's light garments on black become dark garments on white. Deterministic.
/// </summary>
public sealed class InversionShift : IImageOp
{
    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        var dst = new RgbImage(image.Width, image.Height);
        var s = image.Pixels;
        var d = dst.Pixels;
        for (int i = 0; i < s.Length; i++) d[i] = (byte)(255 - s[i]);
        return dst;
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
