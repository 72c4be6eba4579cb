using ClipLab.Imaging;
using ClipLab.Imaging.Shifts;

namespace ClipLab.Data.Fashion;

/// <summary>
/// A distribution-shifted copy of a Fashion-MNIST split: every image passed through one
/// <see cref="DistributionShift"/> at its native 28×28 size, labels unchanged. Image i is shifted with the
/// random stream of (seed, shift, i), so the variant is identical however it is computed.
/// </summary>
public static class ShiftedFashionMnist
{
    /// <summary>The shifted split (a new object; <paramref name="source"/> is not modified).</summary>
    public static FashionMnist Build(FashionMnist source, DistributionShift shift, ulong seed = DistributionShiftRegistry.DefaultSeed)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(shift);
        const int side = FashionMnist.Side, area = side * side;
        var pixels = new byte[source.Pixels.Length];
        Parallel.For(0, source.Count, i =>
        {
            // Gray → RGB with R = G = B, shift, then back to one channel by luma (exact for gray results).
            var rgb = new RgbImage(side, side);
            var src = source.Image(i);
            for (int p = 0; p < area; p++) rgb.Pixels[3 * p] = rgb.Pixels[3 * p + 1] = rgb.Pixels[3 * p + 2] = src[p];
            var shifted = shift.Apply(rgb, i, seed);
            if (shifted.Width != side || shifted.Height != side)
                throw new InvalidOperationException($"shift '{shift.Name}' changed the image size to {shifted.Width}×{shifted.Height}");
            var s = shifted.Pixels;
            for (int p = 0; p < area; p++) pixels[i * area + p] = PixelMath.Luma(s[3 * p], s[3 * p + 1], s[3 * p + 2]);
        });
        return new FashionMnist(pixels, source.Labels);
    }
}
