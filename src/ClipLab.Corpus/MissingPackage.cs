namespace ClipLab.Corpus;

/// <summary>Builds the exceptions thrown when a Debian data package an importer reads is not installed.</summary>
internal static class MissingPackage
{
    private static string Fix(string package) =>
        $"Install it with `apt-get install {package}` (scripts/setup.sh installs all data packages), or pass the folder that holds its files.";

    /// <summary>Throws <see cref="DirectoryNotFoundException"/> unless <paramref name="directory"/> exists.</summary>
    public static void RequireDirectory(string directory, string package, string what)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{what} folder {directory} not found: Debian package {package} is not installed. {Fix(package)}");
    }

    /// <summary>Throws <see cref="FileNotFoundException"/> unless <paramref name="file"/> exists.</summary>
    public static void RequireFile(string file, string package, string what)
    {
        if (!File.Exists(file))
            throw new FileNotFoundException($"{what} {file} not found: Debian package {package} is not installed. {Fix(package)}", file);
    }
}
