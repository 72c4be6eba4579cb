namespace ClipLab.Imaging.Ops;

/// <summary><c>resize(H, W)</c>: scales to exactly H × W (aspect ratio not kept), antialiased.</summary>
public sealed class ResizeExactOp(int height, int width) : IImageOp
{
    /// <summary>Output height.</summary>
    public int Height { get; } = height > 0 ? height : throw new ArgumentOutOfRangeException(nameof(height), "height must be positive");

    /// <summary>Output width.</summary>
    public int Width { get; } = width > 0 ? width : throw new ArgumentOutOfRangeException(nameof(width), "width must be positive");

    /// <inheritdoc />
    public RgbImage Apply(RgbImage image, Random rng) =>
        image.Width == Width && image.Height == Height ? image : TriangleResampler.Resize(image, Width, Height);

    /// <inheritdoc />
    public int? SquareSizeAfter(int? squareSizeBefore) => Width == Height ? Width : null;
}
