namespace ClipLab.Imaging;

/// <summary>The image files ClipLab reads from folders: which extensions count, and a folder's images in a stable order.</summary>
public static class ImageFiles
{
    /// <summary>Extensions (with the dot, any case) of the image files read from folders.</summary>
    public static readonly IReadOnlySet<string> Extensions = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        { ".jpg", ".jpeg", ".png", ".webp", ".gif", ".bmp" };

    /// <summary>Every image file under <paramref name="folder"/> (sub-folders included), in ordinal path order.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    public static IReadOnlyList<string> InFolder(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"image folder not found: {folder}");
        return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
