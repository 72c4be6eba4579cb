namespace ClipLab.Imaging.Ops;

/// <summary>HWC bytes to CHW floats through per-channel lookup tables.</summary>
internal static class ChannelFirst
{
    public static void Write(RgbImage image, Span<float> chw, float[] lutR, float[] lutG, float[] lutB)
    {
        int plane = image.Width * image.Height;
        if (chw.Length < 3 * plane)
            throw new ArgumentException($"destination holds {chw.Length:N0} floats, a {image.Width}×{image.Height} image needs {3 * plane:N0}");
        var r = chw[..plane];
        var g = chw.Slice(plane, plane);
        var b = chw.Slice(2 * plane, plane);
        var s = image.Pixels;
        for (int i = 0, p = 0; i < plane; i++, p += 3)
        {
            r[i] = lutR[s[p]];
            g[i] = lutG[s[p + 1]];
            b[i] = lutB[s[p + 2]];
        }
    }
}
