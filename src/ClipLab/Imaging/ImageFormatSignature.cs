namespace ClipLab.Imaging;

/// <summary>
/// Recognises the formats we decode by their magic bytes, so undecodable data can be told apart as
/// "a broken image" (corrupt) or "not an image at all".
/// </summary>
internal static class ImageFormatSignature
{
    /// <summary>The format name when <paramref name="data"/> starts like a JPEG, PNG, GIF, WebP or BMP; otherwise null.</summary>
    public static string? Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return "jpeg";
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return "gif";
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8)) return "webp";
        if (data.Length >= 14 && data.StartsWith("BM"u8)) return "bmp";
        return null;
    }
}
