using System.Text;
using System.Text.RegularExpressions;

namespace ClipLab.Corpus;

/// <summary>
/// Builds the caption of an Open Clip Art image from its SVG metadata:
/// <c>"{title}. {description}. keywords: {k1}, {k2}, ..."</c> (parts that are empty are left out).
/// </summary>
/// <remarks>
/// Many titles in the package are collection or author names shared by hundreds of files ("gramastar",
/// "Lemon SVG theme", "Part of the Flat Icon Collection (...)"), which would teach the model nothing about the
/// picture. Such generic titles are replaced by words from the file name ("star_49pt05step" → "star 49pt05step",
/// "gramophone"), which names the picture. Descriptions that are only contact data (an e-mail address or URL) are
/// dropped; long descriptions are cut at <see cref="MaxDescriptionLength"/> characters on a word boundary; at most
/// <see cref="MaxKeywords"/> keywords are kept, without placeholders ("unsorted", "hash") and words already in
/// the title.
/// </remarks>
public static partial class OpenClipartCaption
{
    /// <summary>Longest description kept, in characters (captions feed a text encoder with a short context).</summary>
    public const int MaxDescriptionLength = 200;

    /// <summary>Most keywords kept.</summary>
    public const int MaxKeywords = 8;

    private static readonly HashSet<string> PlaceholderKeywords = new(StringComparer.OrdinalIgnoreCase) { "unsorted", "hash", "untitled", "none" };

    private static readonly HashSet<string> PlaceholderTitles = new(StringComparer.OrdinalIgnoreCase)
    {
        "untitled", "no title", "title", "image", "drawing", "clipart", "clip art", "svg", "layer 1", "new document 1",
    };

    /// <summary>Whether <paramref name="title"/> says nothing about the picture: empty, a placeholder, or a "Clipart by …" credit.</summary>
    public static bool IsPlaceholderTitle(string title) =>
        string.IsNullOrWhiteSpace(title) || PlaceholderTitles.Contains(title.Trim()) || title.StartsWith("Clipart by ", StringComparison.OrdinalIgnoreCase);

    /// <summary>Words of a file name: "star_49pt05step.png" → "star 49pt05step", "jigsaw-red_07" → "jigsaw red".</summary>
    public static string TitleFromFileName(string fileName)
    {
        string stem = Path.GetFileNameWithoutExtension(fileName);
        stem = TrailingNumber().Replace(stem, ""); // "_01", "-2": the n-th variant, not part of the name
        return string.Join(' ', stem.Split(['_', '-', '.', ' '], StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The caption of an image, and the title it used (the metadata title, or the file-name words when the title is
    /// generic — a placeholder or a title in <paramref name="genericTitles"/>). Empty when nothing is left.
    /// </summary>
    public static (string Caption, string Title, bool TitleFromFile) Build(OpenClipartMetadata metadata, string fileName, IReadOnlySet<string> genericTitles)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        bool generic = IsPlaceholderTitle(metadata.Title) || genericTitles.Contains(metadata.Title);
        string title = generic ? TitleFromFileName(fileName) : metadata.Title;
        if (!title.Any(char.IsLetter)) title = "";

        string description = metadata.Description;
        if (description.Contains('@') || description.Contains("http", StringComparison.OrdinalIgnoreCase) ||
            description.Equals(title, StringComparison.OrdinalIgnoreCase) || description.Equals(metadata.Title, StringComparison.OrdinalIgnoreCase))
            description = "";
        description = Shorten(description.TrimEnd('.', ' '), MaxDescriptionLength);

        var titleWords = new HashSet<string>(title.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
        var keywords = metadata.Keywords
            .Select(k => k.Replace('_', ' ').Trim())
            .Where(k => k.Length > 0 && k.Any(char.IsLetter) && !PlaceholderKeywords.Contains(k) && !titleWords.Contains(k))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Take(MaxKeywords)
            .ToList();

        var caption = new StringBuilder();
        if (title.Length > 0) caption.Append(title.TrimEnd('.', ' ')).Append('.');
        if (description.Length > 0) caption.Append(caption.Length > 0 ? " " : "").Append(description).Append('.');
        // Keywords alone are no caption: without a title or description the image is skipped.
        if (caption.Length > 0 && keywords.Count > 0) caption.Append(" keywords: ").Append(string.Join(", ", keywords));
        return (caption.ToString(), title, generic);
    }

    private static string Shorten(string text, int maxLength)
    {
        if (text.Length <= maxLength) return text;
        int cut = text.LastIndexOf(' ', maxLength);
        return text[..(cut > maxLength / 2 ? cut : maxLength)].TrimEnd(',', ';', ':', ' ') + "…";
    }

    [GeneratedRegex(@"[_\-. ]*\d+[a-z]?$")]
    private static partial Regex TrailingNumber();
}
