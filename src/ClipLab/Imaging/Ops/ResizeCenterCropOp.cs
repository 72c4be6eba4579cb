namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>resize_center_crop(S, ratio)</c>, the standard evaluation transform (and the paper's zero-shot protocol
/// with ratio 0.875): resize the shorter side to round(S / ratio) — 73 for S = 64 — then take the central
/// S × S crop, so the crop covers <c>ratio</c> of the shorter side.
/// </summary>
public sealed class ResizeCenterCropOp : IImageOp
{
    /// <summary>Creates the op; <paramref name="ratio"/> must be in (0, 1].</summary>
    public ResizeCenterCropOp(int size, double ratio = 0.875)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");
        if (!(ratio > 0 && ratio <= 1)) throw new ArgumentOutOfRangeException(nameof(ratio), "crop ratio must be in (0, 1]");
        Size = size;
        Ratio = ratio;
        ResizeTo = Math.Max(size, (int)Math.Round(size / ratio, MidpointRounding.AwayFromZero));
    }

    /// <summary>Crop side.</summary>
    public int Size { get; }

    /// <summary>Fraction of the resized shorter side the crop covers.</summary>
    public double Ratio { get; }

    /// <summary>The shorter side before cropping.</summary>
    public int ResizeTo { get; }

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        // One pass: the centred S×S window of the resized image corresponds to a source box; sample it directly.
        var (w, h) = ResizeShorterSideOp.TargetSize(image.Width, image.Height, ResizeTo);
        double sx = (double)image.Width / w, sy = (double)image.Height / h;
        int left = (int)Math.Round((w - Size) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((h - Size) / 2.0, MidpointRounding.ToEven);
        return TriangleResampler.ResizeRegion(image, left * sx, top * sy, Size * sx, Size * sy, Size, Size);
    }

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => Size;
}
