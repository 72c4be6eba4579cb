using System.Text.Json;
using SkiaSharp;

namespace ClipLab.Data.Fashion;

/// <summary>
/// One Fashion-MNIST image as a <see cref="RawSample"/>: an 8-bit greyscale PNG, its generated caption,
/// and JSON with its split, index, label and class — the same record whether it is streamed for training
/// or imported into shards.
/// </summary>
public static class FashionMnistSample
{
    /// <summary>Builds the sample of image <paramref name="index"/> of <paramref name="data"/>.</summary>
    public static RawSample Create(FashionMnist data, FashionMnistSplit split, int index, FashionMnistCaptions captions, ulong captionSeed, string origin)
    {
        int label = data.Labels[index];
        string splitName = split.ToString().ToLowerInvariant();
        string caption = captions.Caption(data.Image(index), label, captionSeed, index);
        string json = JsonSerializer.Serialize(new { source = "fashion-mnist", label, @class = captions.ClassNames[label], split = splitName, index });
        return new RawSample($"fashion-mnist-{splitName}-{index:D5}", "png", EncodePng(data.Image(index)), caption, json, origin);
    }

    /// <summary>Encodes 28×28 grey pixels as an 8-bit greyscale PNG.</summary>
    public static unsafe byte[] EncodePng(ReadOnlySpan<byte> pixels)
    {
        const int side = FashionMnist.Side;
        if (pixels.Length != side * side) throw new ArgumentException($"expected {side * side} pixels, got {pixels.Length}", nameof(pixels));
        using var bitmap = new SKBitmap(new SKImageInfo(side, side, SKColorType.Gray8, SKAlphaType.Opaque));
        byte* target = (byte*)bitmap.GetPixels();
        // Copy row by row: Skia may pad rows beyond 28 bytes.
        for (int y = 0; y < side; y++)
            pixels.Slice(y * side, side).CopyTo(new Span<byte>(target + (long)y * bitmap.RowBytes, side));
        using var encoded = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
