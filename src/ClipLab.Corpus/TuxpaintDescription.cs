using System.Text.RegularExpressions;

namespace ClipLab.Corpus;

/// <summary>
/// Reads the English description of a Tux Paint stamp from the <c>.txt</c> file beside its image. The format:
/// the first line is English; translations follow as <c>lang.utf8=text</c> lines (<c>de.utf8=…</c>,
/// <c>pt_BR.utf8=…</c>, <c>sr@latin.utf8=…</c>).
/// </summary>
public static partial class TuxpaintDescription
{
    /// <summary>
    /// The English description in <paramref name="text"/>: the first non-blank line that is not a translation, or
    /// else an <c>en.utf8=</c> / <c>en_US.utf8=</c> line; "" when there is none. Whitespace is collapsed.
    /// </summary>
    public static string English(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string? fallback = null;
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim().TrimStart('\uFEFF');
            if (line.Length == 0) continue;
            var translation = Translation().Match(line);
            if (!translation.Success) return Collapse(line);
            string language = translation.Groups["lang"].Value;
            if (fallback is null && (language == "en" || language == "en_US")) fallback = translation.Groups["text"].Value;
        }
        return fallback is null ? "" : Collapse(fallback);
    }

    /// <summary>Reads <paramref name="path"/> (UTF-8) and returns its English description.</summary>
    public static string ReadEnglish(string path) => English(File.ReadAllText(path));

    private static string Collapse(string text) => Whitespace().Replace(text, " ").Trim();

    [GeneratedRegex(@"^(?<lang>[a-z]{2,3}(_[A-Z]{2})?(@[A-Za-z]+)?)(\.[Uu][Tt][Ff]-?8)?=(?<text>.*)$")]
    private static partial Regex Translation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
