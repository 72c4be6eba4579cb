namespace ClipLab.Corpus;

/// <summary>One line of Unicode's <c>emoji-test.txt</c> with the group and subgroup it is listed under.</summary>
/// <param name="CodePoints">The code points of the emoji sequence.</param>
/// <param name="Status">"fully-qualified", "minimally-qualified", "unqualified" or "component".</param>
/// <param name="Name">The CLDR short name, e.g. "grinning face with big eyes" or "flag: Japan".</param>
/// <param name="Version">The emoji version that introduced it, e.g. "E1.0" ("" if absent).</param>
/// <param name="Group">The group, e.g. "Smileys &amp; Emotion".</param>
/// <param name="Subgroup">The subgroup, e.g. "face-smiling".</param>
/// <param name="Line">1-based line number in the file.</param>
public sealed record EmojiTestEntry(IReadOnlyList<int> CodePoints, string Status, string Name, string Version, string Group, string Subgroup, int Line)
{
    /// <summary>Whether the entry is a fully-qualified emoji (the RGI set in its canonical form).</summary>
    public bool IsFullyQualified => Status == "fully-qualified";

    /// <summary>The emoji as a string.</summary>
    public string Text => string.Concat(CodePoints.Select(char.ConvertFromUtf32));

    /// <summary>Code points in hex separated by spaces: "1F468 200D 1F469".</summary>
    public string CodePointsHex => string.Join(' ', CodePoints.Select(c => c.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));
}
