namespace ClipLab.Imaging.Ops;

/// <summary>
/// <c>resize(S)</c>: scales so the shorter side is S, keeping the aspect ratio (longer side truncated as in
/// torchvision), with an antialiased triangle filter.
/// </summary>
public sealed class ResizeShorterSideOp(int size) : IImageOp
{
    /// <summary>Target shorter side.</summary>
    public int Size { get; } = size > 0 ? size : throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng)
    {
        var (w, h) = TargetSize(image.Width, image.Height, Size);
        return w == image.Width && h == image.Height ? image : TriangleResampler.Resize(image, w, h);
    }

    /// <summary>The size an image of <paramref name="width"/> × <paramref name="height"/> is resized to.</summary>
    public static (int Width, int Height) TargetSize(int width, int height, int shorterSide) =>
        width <= height
            ? (shorterSide, Math.Max(1, (int)((long)shorterSide * height / width)))
            : (Math.Max(1, (int)((long)shorterSide * width / height)), shorterSide);

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => squareSizeBefore is null ? null : Size;
}
