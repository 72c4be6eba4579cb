namespace ClipLab.Corpus;

/// <summary>Lists the regular files of a package folder deterministically.</summary>
internal static class PackageFiles
{
    /// <summary>
    /// Paths relative to <paramref name="root"/> ('/'-separated) of regular files ending in
    /// <paramref name="extension"/>, in ordinal order. Symbolic links are left out: packages use them to file one
    /// picture under several categories, and a duplicate could land in both the train and held-out split.
    /// </summary>
    public static List<string> List(string root, string extension)
    {
        var options = new EnumerationOptions { RecurseSubdirectories = true, MatchCasing = MatchCasing.CaseInsensitive, AttributesToSkip = FileAttributes.ReparsePoint };
        var files = Directory.EnumerateFiles(root, "*" + extension, options)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
