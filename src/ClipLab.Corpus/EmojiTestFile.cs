using System.Globalization;

namespace ClipLab.Corpus;

/// <summary>
/// Parses Unicode's <c>emoji-test.txt</c>: <c># group: …</c> and <c># subgroup: …</c> header lines, and data lines
/// <c>1F600 ; fully-qualified # 😀 E1.0 grinning face</c>.
/// </summary>
public static class EmojiTestFile
{
    /// <summary>Where Debian's <c>unicode-data</c> installs the file.</summary>
    public const string DefaultPath = "/usr/share/unicode/emoji/emoji-test.txt";

    /// <summary>Streams the entries of the file at <paramref name="path"/>.</summary>
    public static IEnumerable<EmojiTestEntry> Read(string path) => Parse(File.ReadLines(path));

    /// <summary>Parses the lines of an emoji-test file; malformed data lines throw with their line number.</summary>
    /// <exception cref="InvalidDataException">A data line does not have the documented form.</exception>
    public static IEnumerable<EmojiTestEntry> Parse(IEnumerable<string> lines)
    {
        string group = "", subgroup = "";
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                string comment = line.TrimStart('#').Trim();
                if (comment.StartsWith("group:", StringComparison.Ordinal)) { group = comment["group:".Length..].Trim(); subgroup = ""; }
                else if (comment.StartsWith("subgroup:", StringComparison.Ordinal)) subgroup = comment["subgroup:".Length..].Trim();
                continue;
            }
            yield return ParseEntry(line, group, subgroup, number);
        }
    }

    private static EmojiTestEntry ParseEntry(string line, string group, string subgroup, int number)
    {
        int semicolon = line.IndexOf(';'), hash = line.IndexOf('#');
        if (semicolon < 0 || hash < semicolon)
            throw new InvalidDataException($"emoji-test line {number}: expected \"code points ; status # emoji version name\", got \"{line}\".");
        var codePoints = new List<int>();
        foreach (string hex in line[..semicolon].Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int cp) || cp > 0x10FFFF)
                throw new InvalidDataException($"emoji-test line {number}: \"{hex}\" is not a code point.");
            codePoints.Add(cp);
        }
        if (codePoints.Count == 0) throw new InvalidDataException($"emoji-test line {number}: no code points.");
        string status = line[(semicolon + 1)..hash].Trim();

        // The comment is "<emoji> E<version> <name>"; the emoji itself may contain spaces-free joiners only.
        string[] words = line[(hash + 1)..].Trim().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        string version = "", name;
        if (words.Length == 3 && words[1].StartsWith('E') && words[1].Length > 1 && char.IsDigit(words[1][1])) { version = words[1]; name = words[2]; }
        else name = words.Length > 1 ? string.Join(' ', words[1..]) : "";
        return new EmojiTestEntry(codePoints, status, name.Trim(), version, group, subgroup, number);
    }
}
