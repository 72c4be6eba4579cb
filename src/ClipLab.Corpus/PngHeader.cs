using System.Buffers.Binary;

namespace ClipLab.Corpus;

/// <summary>
/// The size and colour type of a PNG read from its IHDR chunk, and whether it carries transparency (alpha colour
/// type or a tRNS chunk) — enough to refuse images too large to decode before decoding them.
/// </summary>
/// <param name="Width">Width in pixels.</param>
/// <param name="Height">Height in pixels.</param>
/// <param name="ColorType">PNG colour type (0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA).</param>
/// <param name="HasTransparency">Alpha channel or tRNS chunk present.</param>
public sealed record PngHeader(int Width, int Height, byte ColorType, bool HasTransparency)
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Width × height.</summary>
    public long Pixels => (long)Width * Height;

    /// <summary>Parses the header of PNG file bytes; null when they are not a PNG (bad signature or no IHDR).</summary>
    public static PngHeader? TryRead(ReadOnlySpan<byte> png)
    {
        if (png.Length < 33 || !png[..8].SequenceEqual(Signature) || !png.Slice(12, 4).SequenceEqual("IHDR"u8)) return null;
        uint width = BinaryPrimitives.ReadUInt32BigEndian(png[16..]), height = BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        if (width == 0 || height == 0 || width > int.MaxValue || height > int.MaxValue) return null;
        byte colorType = png[25];
        bool transparent = colorType is 4 or 6;
        // Walk the chunk headers up to the image data: tRNS, if any, comes before IDAT.
        int at = 8;
        while (!transparent && at + 8 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[at..]);
            var type = png.Slice(at + 4, 4);
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8) || length > int.MaxValue) break;
            transparent = type.SequenceEqual("tRNS"u8);
            long next = at + 12L + length;
            if (next > png.Length) break;
            at = (int)next;
        }
        return new PngHeader((int)width, (int)height, colorType, transparent);
    }
}
