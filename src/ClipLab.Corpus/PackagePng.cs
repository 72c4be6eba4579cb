using ClipLab.Data;

namespace ClipLab.Corpus;

/// <summary>Reads a package's PNG file and checks its header before any pixel is decoded.</summary>
internal static class PackagePng
{
    /// <summary>
    /// The file's bytes and header, or null when it is unreadable, not a PNG or over <paramref name="maxPixels"/>
    /// (each counted in <paramref name="bad"/> with its reason).
    /// </summary>
    public static (byte[] Bytes, PngHeader Header)? Read(string path, long maxPixels, BadSampleCounter bad)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            bad.CountBad(SkipReason.UnreadableFile, $"{path}: {e.Message}");
            return null;
        }
        var header = PngHeader.TryRead(bytes);
        if (header is null)
        {
            bad.CountBad(SkipReason.NotAnImage, path);
            return null;
        }
        if (header.Pixels > maxPixels)
        {
            bad.CountBad(SkipReason.ImageTooLarge, $"{path} ({header.Width}×{header.Height})");
            return null;
        }
        return (bytes, header);
    }
}
