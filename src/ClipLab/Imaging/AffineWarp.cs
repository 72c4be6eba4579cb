namespace ClipLab.Imaging;

/// <summary>
/// Geometric RandAugment ops: an inverse affine map from output to input coordinates, sampled bilinearly, with
/// pixels that come from outside the image set to a fill colour (PIL <c>Image.transform</c> semantics, in
/// continuous coordinates where pixel centres sit at +0.5, so the identity map reproduces the image exactly).
/// </summary>
public static class AffineWarp
{
    /// <summary>Rotates by <paramref name="degrees"/> counter-clockwise about the image centre.</summary>
    public static RgbImage Rotate(RgbImage image, double degrees, RgbColor fill)
    {
        double a = degrees * Math.PI / 180, cos = Math.Cos(a), sin = Math.Sin(a);
        double cx = image.Width / 2.0, cy = image.Height / 2.0;
        // input = R(-a)·(output − centre) + centre, with y pointing down.
        return Warp(image, cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy, fill);
    }

    /// <summary>Horizontal shear: input x = x + <paramref name="factor"/>·y (timm ShearX).</summary>
    public static RgbImage ShearX(RgbImage image, double factor, RgbColor fill) => Warp(image, 1, factor, 0, 0, 1, 0, fill);

    /// <summary>Vertical shear: input y = y + <paramref name="factor"/>·x (timm ShearY).</summary>
    public static RgbImage ShearY(RgbImage image, double factor, RgbColor fill) => Warp(image, 1, 0, 0, factor, 1, 0, fill);

    /// <summary>Translation: output shows the input shifted by −<paramref name="dx"/>, −<paramref name="dy"/> pixels (timm Translate).</summary>
    public static RgbImage Translate(RgbImage image, double dx, double dy, RgbColor fill) => Warp(image, 1, 0, dx, 0, 1, dy, fill);

    /// <summary>
    /// Samples input (a·x + b·y + c, d·x + e·y + f) for every output point (x, y) in continuous coordinates.
    /// </summary>
    public static RgbImage Warp(RgbImage image, double a, double b, double c, double d, double e, double f, RgbColor fill)
    {
        int w = image.Width, h = image.Height;
        var src = image.Pixels;
        var dst = new RgbImage(w, h);
        var o = dst.Pixels;
        Span<byte> fillRgb = [fill.R, fill.G, fill.B];
        int oi = 0;
        for (int y = 0; y < h; y++)
        {
            double yc = y + 0.5;
            for (int x = 0; x < w; x++, oi += 3)
            {
                double xc = x + 0.5;
                double sx = a * xc + b * yc + c - 0.5, sy = d * xc + e * yc + f - 0.5;
                if (sx <= -1 || sy <= -1 || sx >= w || sy >= h)
                {
                    o[oi] = fill.R;
                    o[oi + 1] = fill.G;
                    o[oi + 2] = fill.B;
                    continue;
                }
                int x0 = (int)Math.Floor(sx), y0 = (int)Math.Floor(sy);
                double fx = sx - x0, fy = sy - y0;
                for (int ch = 0; ch < 3; ch++)
                {
                    double v00 = Sample(src, w, h, x0, y0, ch, fillRgb[ch]);
                    double v10 = fx > 0 ? Sample(src, w, h, x0 + 1, y0, ch, fillRgb[ch]) : 0;
                    double v01 = fy > 0 ? Sample(src, w, h, x0, y0 + 1, ch, fillRgb[ch]) : 0;
                    double v11 = fx > 0 && fy > 0 ? Sample(src, w, h, x0 + 1, y0 + 1, ch, fillRgb[ch]) : 0;
                    double v = (v00 * (1 - fx) + v10 * fx) * (1 - fy) + (v01 * (1 - fx) + v11 * fx) * fy;
                    o[oi + ch] = PixelMath.ToByte((float)v);
                }
            }
        }
        return dst;
    }

    private static double Sample(byte[] src, int w, int h, int x, int y, int ch, byte fill) =>
        (uint)x < (uint)w && (uint)y < (uint)h ? src[(y * w + x) * 3 + ch] : fill;
}
