namespace ClipLab.Tests.Architecture;

/// <summary>One C# file of the library: its path under src/ClipLab ('/' separated) and its text.</summary>
public sealed record SourceFile(string Path, string Text)
{
    /// <summary>The top-level folder the file lives in (<c>Data</c> for <c>Data/Sources/CsvSource.cs</c>); empty at the root.</summary>
    public string Folder => Path.Contains('/') ? Path[..Path.IndexOf('/')] : "";

    /// <summary>The namespace its folder implies: <c>ClipLab.Data.Sources</c> for <c>Data/Sources/CsvSource.cs</c>.</summary>
    public string ExpectedNamespace =>
        Path.Contains('/') ? "ClipLab." + Path[..Path.LastIndexOf('/')].Replace('/', '.') : "ClipLab";

    /// <summary>Reads every .cs file under <paramref name="root"/>, build outputs (bin/, obj/) excluded, in path order.</summary>
    public static IReadOnlyList<SourceFile> ReadAll(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(file => System.IO.Path.GetRelativePath(root, file).Replace('\\', '/'))
            .Where(path => !path.StartsWith("bin/", StringComparison.Ordinal) && !path.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile(path, File.ReadAllText(System.IO.Path.Combine(root, path))))
            .ToList();
}
