using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging;

/// <summary>
/// The preprocessing evaluation applies to an encoded image file: decode, resize the shorter side to
/// size / <see cref="CropFraction"/> and take the centred size × size square, then lay the pixels out as planes
/// (RGB, or luma for one-channel models). Shared by evaluation benchmarks and ONNX inference so both see the same pixels.
/// </summary>
public sealed class EvaluationPreprocessing
{
    /// <summary>Fraction of the resized image the centre crop keeps (the usual 224/256).</summary>
    public const double DefaultCropFraction = 0.875;

    private readonly ResizeCenterCropOp _crop;

    /// <summary>Creates the preprocessing for <paramref name="size"/>-pixel, <paramref name="channels"/>-channel models.</summary>
    /// <param name="size">Side of the square model input.</param>
    /// <param name="channels">1 (luma) or 3 (RGB).</param>
    /// <param name="cropFraction">Fraction of the resized image kept by the centre crop.</param>
    public EvaluationPreprocessing(int size, int channels, double cropFraction = DefaultCropFraction)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "models take 1 or 3 channels");
        _crop = new ResizeCenterCropOp(size, cropFraction);
        Channels = channels;
    }

    /// <summary>Side of the square output.</summary>
    public int Size => _crop.Size;

    /// <summary>Channels of the output: 1 (luma) or 3 (RGB).</summary>
    public int Channels { get; }

    /// <summary>Fraction of the resized image kept by the centre crop.</summary>
    public double CropFraction => _crop.Ratio;

    /// <summary>The shorter side the image is resized to before the crop.</summary>
    public int ResizeTo => _crop.ResizeTo;

    /// <summary>Bytes of one preprocessed image: Channels × Size × Size.</summary>
    public int PlaneBytes => Channels * Size * Size;

    /// <summary>Decodes and crops <paramref name="encoded"/> into <paramref name="planes"/> (<see cref="PlaneBytes"/> bytes, channel-major).</summary>
    /// <param name="encoded">An encoded image (PNG, JPEG, ...).</param>
    /// <param name="origin">Where the image came from, for the error message.</param>
    /// <param name="planes">Destination.</param>
    /// <exception cref="InvalidDataException">The image cannot be decoded.</exception>
    public void Write(ReadOnlySpan<byte> encoded, string origin, Span<byte> planes)
    {
        RgbImage image;
        try
        {
            image = _crop.Apply(ImageDecoder.Decode(encoded, minOutputSide: _crop.ResizeTo), Random.Shared);
        }
        catch (Exception ex) when (ex is ImageDecodeException or ArgumentException or InvalidDataException)
        {
            throw new InvalidDataException($"cannot decode image {origin}: {ex.Message}", ex);
        }

        ToPlanes(image.Pixels, Channels, planes);
    }

    /// <summary>
    /// Writes interleaved RGB pixels as channel planes [C, H, W]: the three colour planes, or one luma plane when
    /// <paramref name="channels"/> is 1.
    /// </summary>
    public static void ToPlanes(ReadOnlySpan<byte> rgb, int channels, Span<byte> planes)
    {
        int plane = rgb.Length / 3;
        for (int p = 0; p < plane; p++)
        {
            if (channels == 1)
            {
                planes[p] = PixelMath.Luma(rgb[3 * p], rgb[3 * p + 1], rgb[3 * p + 2]);
            }
            else
            {
                planes[p] = rgb[3 * p];
                planes[plane + p] = rgb[3 * p + 1];
                planes[2 * plane + p] = rgb[3 * p + 2];
            }
        }
    }
}
