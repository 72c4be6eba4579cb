namespace ClipLab.Imaging;

/// <summary>
/// An 8-bit RGB image: <see cref="Pixels"/> holds Height × Width × 3 bytes, row-major, channels R, G, B
/// interleaved (HWC). Ops treat images as values and return new instances instead of mutating their input.
/// </summary>
public sealed class RgbImage
{
    /// <summary>Largest accepted side, a guard against absurd sizes overflowing buffers.</summary>
    public const int MaxSide = 1 << 16;

    /// <summary>Creates a black image.</summary>
    public RgbImage(int width, int height) : this(width, height, new byte[CheckedLength(width, height)]) { }

    /// <summary>Wraps existing HWC RGB pixels (not copied).</summary>
    /// <exception cref="ArgumentException">The sizes are not positive or the buffer length is not width × height × 3.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        long expected = CheckedLength(width, height);
        if (pixels.Length != expected)
            throw new ArgumentException($"a {width}×{height} RGB image needs {expected:N0} bytes, got {pixels.Length:N0}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>Pixel bytes, HWC, RGB, row-major.</summary>
    public byte[] Pixels { get; }

    /// <summary>Bytes per row (Width × 3).</summary>
    public int Stride => Width * 3;

    /// <summary>An image of one colour.</summary>
    public static RgbImage Filled(int width, int height, RgbColor color)
    {
        var image = new RgbImage(width, height);
        var p = image.Pixels;
        for (int i = 0; i < p.Length; i += 3)
        {
            p[i] = color.R;
            p[i + 1] = color.G;
            p[i + 2] = color.B;
        }
        return image;
    }

    /// <summary>The colour at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public RgbColor GetPixel(int x, int y)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}×{Height} image");
        int i = (y * Width + x) * 3;
        return new RgbColor(Pixels[i], Pixels[i + 1], Pixels[i + 2]);
    }

    /// <summary>Sets the colour at column <paramref name="x"/>, row <paramref name="y"/>.</summary>
    public void SetPixel(int x, int y, RgbColor color)
    {
        if ((uint)x >= (uint)Width || (uint)y >= (uint)Height)
            throw new ArgumentOutOfRangeException(nameof(x), $"({x}, {y}) is outside the {Width}×{Height} image");
        int i = (y * Width + x) * 3;
        Pixels[i] = color.R;
        Pixels[i + 1] = color.G;
        Pixels[i + 2] = color.B;
    }

    /// <summary>A deep copy.</summary>
    public RgbImage Clone() => new(Width, Height, (byte[])Pixels.Clone());

    /// <inheritdoc />
    public override string ToString() => $"RgbImage {Width}×{Height}";

    private static int CheckedLength(int width, int height)
    {
        if (width <= 0 || height <= 0 || width > MaxSide || height > MaxSide)
            throw new ArgumentException($"image sides must be in [1, {MaxSide}], got {width}×{height}");
        long length = (long)width * height * 3;
        if (length > Array.MaxLength)
            throw new ArgumentException($"a {width}×{height} RGB image does not fit in one array");
        return (int)length;
    }
}
