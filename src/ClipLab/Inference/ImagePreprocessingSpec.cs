namespace ClipLab.Inference;

/// <summary>
/// How an application turns an image file into the image encoder's input, written beside an exported model so it needs
/// nothing else: resize the shorter side to <see cref="ResizeTo"/> (antialiased), take the centred <see cref="ImageSize"/>²
/// crop, lay it out NCHW as <see cref="ColorSpace"/>, map bytes 0…255 linearly onto <see cref="ValueRange"/>, and then,
/// only when <see cref="Mean"/> and <see cref="Std"/> are given, subtract the mean and divide by the std per channel.
/// </summary>
public sealed record ImagePreprocessingSpec
{
    /// <summary>Side of the square input in pixels.</summary>
    public int ImageSize { get; init; }

    /// <summary>Input channels: 1 (luma) or 3 (RGB).</summary>
    public int Channels { get; init; }

    /// <summary>"rgb" for three channels, "luma" (BT.601) for one.</summary>
    public string ColorSpace { get; init; } = "rgb";

    /// <summary>Shorter side the image is resized to before the centre crop.</summary>
    public int ResizeTo { get; init; }

    /// <summary>Fraction of the resized image the centre crop keeps (ImageSize / ResizeTo, rounded).</summary>
    public double CropFraction { get; init; }

    /// <summary>Interval the bytes 0 and 255 map to (ClipLab models take [-1, 1]).</summary>
    public float[] ValueRange { get; init; } = [-1f, 1f];

    /// <summary>Per-channel mean subtracted after the value-range mapping, or null for none (ClipLab models use none).</summary>
    public float[]? Mean { get; init; }

    /// <summary>Per-channel std divided by after the mean, or null for none.</summary>
    public float[]? Std { get; init; }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first field that cannot describe a preprocessing.</summary>
    /// <param name="source">The file the spec came from, for the message.</param>
    public void Validate(string source)
    {
        void Fail(string what) => throw new InvalidDataException($"{source}: preprocessing.{what}; re-export the model with `cliplab export onnx`.");
        if (ImageSize < 1) Fail($"imageSize must be positive, got {ImageSize}");
        if (Channels is not (1 or 3)) Fail($"channels must be 1 or 3, got {Channels}");
        if (ColorSpace != (Channels == 1 ? "luma" : "rgb")) Fail($"colorSpace must be \"{(Channels == 1 ? "luma" : "rgb")}\" for {Channels} channel(s), got \"{ColorSpace}\"");
        if (ResizeTo < ImageSize) Fail($"resizeTo ({ResizeTo}) must be at least imageSize ({ImageSize})");
        if (!(CropFraction > 0 && CropFraction <= 1)) Fail($"cropFraction must be in (0, 1], got {CropFraction}");
        if (ValueRange is not { Length: 2 } || !(ValueRange[0] < ValueRange[1])) Fail("valueRange must be [low, high] with low < high");
        if ((Mean is null) != (Std is null)) Fail("mean and std must be given together or not at all");
        if (Mean is not null && (Mean.Length != Channels || Std!.Length != Channels || Std.Any(s => !(s > 0))))
            Fail($"mean and std must have {Channels} entries each, std positive");
    }
}
