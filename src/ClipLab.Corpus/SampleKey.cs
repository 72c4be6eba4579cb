using System.Text;

namespace ClipLab.Corpus;

/// <summary>
/// Makes WebDataset sample keys from a source name and a relative file path: "openclipart-animals-frog_01".
/// A WebDataset key ends at the first dot of a member's basename and should not contain '/', so dots, slashes
/// and anything outside [A-Za-z0-9_-] are replaced.
/// </summary>
internal static class SampleKey
{
    /// <summary>The key of the file at <paramref name="relativePath"/> (extension removed) in <paramref name="source"/>.</summary>
    public static string FromPath(string source, string relativePath)
    {
        string withoutExtension = Path.ChangeExtension(relativePath, null) ?? relativePath;
        var key = new StringBuilder(source.Length + 1 + withoutExtension.Length).Append(source).Append('-');
        foreach (char c in withoutExtension)
            key.Append(c is '/' or '\\' ? '-' : char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        return key.ToString();
    }
}
