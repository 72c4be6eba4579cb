namespace ClipLab.Imaging;

/// <summary>Limits and compositing settings of <see cref="ImageDecoder"/>.</summary>
public sealed record ImageDecodeOptions
{
    /// <summary>Default pixel limit: 64 megapixels.</summary>
    public const long DefaultMaxPixels = 64L * 1024 * 1024;

    /// <summary>The defaults: 64 MP limit, white background.</summary>
    public static ImageDecodeOptions Default { get; } = new();

    /// <summary>Images with more pixels (full-resolution width × height, before any scaled decode) are refused.</summary>
    public long MaxPixels { get; init; } = DefaultMaxPixels;

    /// <summary>Colour that transparent pixels are composited over.</summary>
    public RgbColor Background { get; init; } = RgbColor.White;
}
