namespace ClipLab.Imaging;

/// <summary>
/// Resizes a rectangular region of an image to an output size in one pass with a triangle (bilinear) filter
/// whose support widens with the downscale factor — antialiased like PIL's BILINEAR and torchvision's
/// <c>antialias=True</c>. Cropping and resizing together means the crop is never materialised, and only the
/// source rows the output needs are filtered.
/// </summary>
internal static class TriangleResampler
{
    /// <summary>Filter taps of one axis: for output i, weights W[i*MaxTaps ..] applied to source Start[i] onwards.</summary>
    private readonly struct AxisTaps(int[] start, int[] count, float[] weights, int maxTaps)
    {
        public readonly int[] Start = start;
        public readonly int[] Count = count;
        public readonly float[] Weights = weights;
        public readonly int MaxTaps = maxTaps;
    }

    /// <summary>Resizes the whole image to <paramref name="outWidth"/> × <paramref name="outHeight"/>.</summary>
    public static RgbImage Resize(RgbImage src, int outWidth, int outHeight) =>
        ResizeRegion(src, 0, 0, src.Width, src.Height, outWidth, outHeight);

    /// <summary>
    /// Resizes the region [x0, x0+width) × [y0, y0+height) (in source pixel units, may be fractional, must lie
    /// inside the image) to <paramref name="outWidth"/> × <paramref name="outHeight"/>.
    /// </summary>
    public static RgbImage ResizeRegion(RgbImage src, double x0, double y0, double width, double height, int outWidth, int outHeight)
    {
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentOutOfRangeException(nameof(outWidth), "output size must be positive");
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "region must be non-empty");
        // Exact copy: a same-size integer-aligned region needs no filtering (and must not blur).
        if (width == outWidth && height == outHeight && x0 == Math.Floor(x0) && y0 == Math.Floor(y0))
            return Crop(src, (int)x0, (int)y0, outWidth, outHeight);

        var xs = ComputeTaps(x0, width, src.Width, outWidth);
        var ys = ComputeTaps(y0, height, src.Height, outHeight);
        int rowFirst = ys.Start[0], rowLast = ys.Start[outHeight - 1] + ys.Count[outHeight - 1];
        int rows = rowLast - rowFirst;

        // Horizontal pass over only the needed rows into a float buffer, then the vertical pass into bytes.
        int tmpStride = outWidth * 3;
        var tmp = new float[rows * tmpStride];
        var s = src.Pixels;
        int srcStride = src.Stride;
        for (int r = 0; r < rows; r++)
        {
            int rowOffset = (rowFirst + r) * srcStride;
            int t = r * tmpStride;
            for (int ox = 0; ox < outWidth; ox++, t += 3)
            {
                int start = xs.Start[ox], count = xs.Count[ox], w0 = ox * xs.MaxTaps;
                float a = 0, b = 0, c = 0;
                int p = rowOffset + start * 3;
                for (int k = 0; k < count; k++, p += 3)
                {
                    float w = xs.Weights[w0 + k];
                    a += w * s[p];
                    b += w * s[p + 1];
                    c += w * s[p + 2];
                }
                tmp[t] = a;
                tmp[t + 1] = b;
                tmp[t + 2] = c;
            }
        }

        var dst = new RgbImage(outWidth, outHeight);
        var d = dst.Pixels;
        var acc = new float[tmpStride];
        for (int oy = 0; oy < outHeight; oy++)
        {
            Array.Clear(acc);
            int start = ys.Start[oy] - rowFirst, count = ys.Count[oy], w0 = oy * ys.MaxTaps;
            for (int k = 0; k < count; k++)
            {
                float w = ys.Weights[w0 + k];
                var row = new ReadOnlySpan<float>(tmp, (start + k) * tmpStride, tmpStride);
                for (int i = 0; i < tmpStride; i++) acc[i] += w * row[i];
            }
            int o = oy * tmpStride;
            for (int i = 0; i < tmpStride; i++) d[o + i] = ClampToByte(acc[i]);
        }
        return dst;
    }

    /// <summary>Copies the integer region (x, y, width, height), which must lie inside the image.</summary>
    public static RgbImage Crop(RgbImage src, int x, int y, int width, int height)
    {
        if (x < 0 || y < 0 || x + width > src.Width || y + height > src.Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"crop ({x}, {y}, {width}×{height}) exceeds the {src.Width}×{src.Height} image");
        var dst = new RgbImage(width, height);
        for (int r = 0; r < height; r++)
            Buffer.BlockCopy(src.Pixels, ((y + r) * src.Width + x) * 3, dst.Pixels, r * width * 3, width * 3);
        return dst;
    }

    private static AxisTaps ComputeTaps(double srcStart, double srcLength, int srcSize, int outSize)
    {
        double scale = srcLength / outSize;
        double support = Math.Max(scale, 1.0); // triangle radius, widened when downscaling (antialias)
        int maxTaps = (int)Math.Ceiling(support) * 2 + 2;
        var start = new int[outSize];
        var count = new int[outSize];
        var weights = new float[outSize * maxTaps];
        for (int i = 0; i < outSize; i++)
        {
            double center = srcStart + (i + 0.5) * scale;
            int lo = Math.Max(0, (int)Math.Floor(center - support));
            int hi = Math.Min(srcSize, (int)Math.Ceiling(center + support));
            if (hi - lo > maxTaps) hi = lo + maxTaps;
            double sum = 0;
            int n = 0;
            for (int j = lo; j < hi; j++, n++)
            {
                double w = 1.0 - Math.Abs((j + 0.5 - center) / support);
                if (w < 0) w = 0;
                weights[i * maxTaps + n] = (float)w;
                sum += w;
            }
            if (sum <= 0)
            {
                // Degenerate (centre outside the image): take the nearest pixel.
                int nearest = Math.Clamp((int)Math.Floor(center), 0, srcSize - 1);
                lo = nearest;
                n = 1;
                weights[i * maxTaps] = 1f;
                sum = 1;
            }
            for (int k = 0; k < n; k++) weights[i * maxTaps + k] = (float)(weights[i * maxTaps + k] / sum);
            start[i] = lo;
            count[i] = n;
        }
        return new AxisTaps(start, count, weights, maxTaps);
    }

    private static byte ClampToByte(float v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5f);
}
