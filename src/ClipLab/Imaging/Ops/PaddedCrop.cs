namespace ClipLab.Imaging.Ops;

/// <summary>Copies a rectangle that may reach outside the image; the outside is black (torchvision pads with 0).</summary>
internal static class PaddedCrop
{
    public static RgbImage Copy(RgbImage image, int left, int top, int width, int height)
    {
        if (left >= 0 && top >= 0 && left + width <= image.Width && top + height <= image.Height)
            return TriangleResampler.Crop(image, left, top, width, height);
        var dst = new RgbImage(width, height);
        int x0 = Math.Max(0, left), x1 = Math.Min(image.Width, left + width);
        if (x1 <= x0) return dst;
        for (int y = 0; y < height; y++)
        {
            int sy = top + y;
            if ((uint)sy >= (uint)image.Height) continue;
            Buffer.BlockCopy(image.Pixels, (sy * image.Width + x0) * 3, dst.Pixels, (y * width + (x0 - left)) * 3, (x1 - x0) * 3);
        }
        return dst;
    }
}
