namespace ClipLab.Data.Sources;

/// <summary>
/// Recognises image formats by their leading magic bytes. This is a cheap plausibility check made while
/// reading a source (so a caption file renamed <c>.jpg</c> is skipped early); real decoding happens later.
/// </summary>
public static class ImageSignature
{
    /// <summary>Lower-case extensions that name image members/files (as in open_clip and img2dataset).</summary>
    public static IReadOnlyList<string> Extensions { get; } = ["jpg", "jpeg", "png", "webp", "gif", "bmp"];

    /// <summary>Whether <paramref name="extension"/> (lower-case, no dot) names an image format.</summary>
    public static bool IsImageExtension(string extension) => Extensions.Contains(extension);

    /// <summary>The canonical extension of the format the bytes start with (<c>jpg</c>, <c>png</c>, <c>webp</c>, <c>gif</c>, <c>bmp</c>), or null.</summary>
    public static string? Detect(ReadOnlySpan<byte> data)
    {
        if (data.Length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return "jpg";
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return "png";
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return "gif";
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8)) return "webp";
        if (data.Length >= 14 && data.StartsWith("BM"u8)) return "bmp";
        return null;
    }

    /// <summary>
    /// The extension to report for bytes stored under <paramref name="claimed"/>: the claimed one when it
    /// matches the content (<c>jpeg</c> and <c>jpg</c> are the same format), else the detected one; null when
    /// the bytes are no image format at all.
    /// </summary>
    public static string? Resolve(string claimed, ReadOnlySpan<byte> data)
    {
        string? detected = Detect(data);
        if (detected is null) return null;
        string canonical = claimed == "jpeg" ? "jpg" : claimed;
        return canonical == detected ? claimed : detected;
    }
}
