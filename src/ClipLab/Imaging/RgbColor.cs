namespace ClipLab.Imaging;

/// <summary>An 8-bit RGB colour (background for alpha compositing, fill for affine ops).</summary>
/// <param name="R">Red.</param>
/// <param name="G">Green.</param>
/// <param name="B">Blue.</param>
public readonly record struct RgbColor(byte R, byte G, byte B)
{
    /// <summary>Opaque white, the default background for transparent images.</summary>
    public static RgbColor White => new(255, 255, 255);

    /// <summary>Mid grey (128, 128, 128), timm's fill colour for pixels an affine op uncovers.</summary>
    public static RgbColor MidGrey => new(128, 128, 128);
}
