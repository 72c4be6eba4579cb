using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>
/// <c>sketch</c>: the image as a pencil drawing — dark strokes along its edges on white paper, all shading and
/// fill removed — playing the role of ImageNet-Sketch. The stroke darkness is the Sobel gradient magnitude of the
/// luma, scaled so the image's strongest edge is black; a flat image becomes blank paper. Deterministic.
/// </summary>
public sealed class SketchShift : IImageOp
{
    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        int w = image.Width, h = image.Height;
        var luma = new float[w * h];
        var s = image.Pixels;
        for (int i = 0; i < luma.Length; i++) luma[i] = PixelMath.Luma(s[3 * i], s[3 * i + 1], s[3 * i + 2]);

        // Edges replicate the border pixel, so the frame of the image does not draw a stroke.
        float L(int x, int y) => luma[Math.Clamp(y, 0, h - 1) * w + Math.Clamp(x, 0, w - 1)];
        var magnitude = new float[w * h];
        float max = 0;
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            float gx = L(x + 1, y - 1) + 2 * L(x + 1, y) + L(x + 1, y + 1) - L(x - 1, y - 1) - 2 * L(x - 1, y) - L(x - 1, y + 1);
            float gy = L(x - 1, y + 1) + 2 * L(x, y + 1) + L(x + 1, y + 1) - L(x - 1, y - 1) - 2 * L(x, y - 1) - L(x + 1, y - 1);
            float m = MathF.Sqrt(gx * gx + gy * gy);
            magnitude[y * w + x] = m;
            max = MathF.Max(max, m);
        }

        var dst = new RgbImage(w, h);
        var d = dst.Pixels;
        float scale = max > 0 ? 255f / max : 0;
        for (int i = 0; i < magnitude.Length; i++)
        {
            byte v = PixelMath.ToByte(255f - magnitude[i] * scale);
            d[3 * i] = d[3 * i + 1] = d[3 * i + 2] = v;
        }
        return dst;
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore;
}
