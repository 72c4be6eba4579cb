namespace ClipLab.Imaging;

/// <summary>Separable Gaussian blur with reflect padding (torchvision gaussian_blur semantics).</summary>
public static class GaussianBlurFilter
{
    /// <summary>Blurs with an odd <paramref name="kernelSize"/> and standard deviation <paramref name="sigma"/> (pixels).</summary>
    public static RgbImage Blur(RgbImage image, int kernelSize, double sigma)
    {
        if (kernelSize < 1 || kernelSize % 2 == 0) throw new ArgumentOutOfRangeException(nameof(kernelSize), "kernel size must be odd and positive");
        if (sigma <= 0) throw new ArgumentOutOfRangeException(nameof(sigma), "sigma must be positive");
        int radius = kernelSize / 2;
        var kernel = new float[kernelSize];
        double sum = 0;
        for (int i = 0; i < kernelSize; i++)
        {
            double x = i - radius;
            kernel[i] = (float)Math.Exp(-x * x / (2 * sigma * sigma));
            sum += kernel[i];
        }
        for (int i = 0; i < kernelSize; i++) kernel[i] = (float)(kernel[i] / sum);

        int w = image.Width, h = image.Height;
        var s = image.Pixels;
        var tmp = new float[s.Length];
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < kernelSize; k++)
            {
                int p = (y * w + Reflect(x + k - radius, w)) * 3;
                float kw = kernel[k];
                r += kw * s[p];
                g += kw * s[p + 1];
                b += kw * s[p + 2];
            }
            int o = (y * w + x) * 3;
            tmp[o] = r;
            tmp[o + 1] = g;
            tmp[o + 2] = b;
        }
        var dst = new RgbImage(w, h);
        var d = dst.Pixels;
        for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
        {
            float r = 0, g = 0, b = 0;
            for (int k = 0; k < kernelSize; k++)
            {
                int p = (Reflect(y + k - radius, h) * w + x) * 3;
                float kw = kernel[k];
                r += kw * tmp[p];
                g += kw * tmp[p + 1];
                b += kw * tmp[p + 2];
            }
            int o = (y * w + x) * 3;
            d[o] = PixelMath.ToByte(r);
            d[o + 1] = PixelMath.ToByte(g);
            d[o + 2] = PixelMath.ToByte(b);
        }
        return dst;
    }

    /// <summary>Reflects an index into [0, n) without repeating the edge (numpy/torch "reflect").</summary>
    private static int Reflect(int i, int n)
    {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        i %= period;
        if (i < 0) i += period;
        return i < n ? i : period - i;
    }
}
