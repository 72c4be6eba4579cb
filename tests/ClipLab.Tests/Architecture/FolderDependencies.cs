using System.Text;
using System.Text.RegularExpressions;

namespace ClipLab.Tests.Architecture;

/// <summary>
/// Which top-level folders of the library a source file uses, read from its text: <c>using</c> directives (plain,
/// static, alias, global), names qualified from <c>ClipLab.</c> anywhere in code or in a <c>cref</c>, and names qualified
/// from a sibling folder (<c>Data.RawSample</c>, which C# resolves from inside <c>namespace ClipLab.X</c>). Comments and
/// string literals are skipped, so prose and messages that mention a namespace do not count.
/// </summary>
public sealed partial class FolderDependencies
{
    private readonly IReadOnlyDictionary<string, HashSet<string>> _typesByFolder;

    private FolderDependencies(IReadOnlyDictionary<string, HashSet<string>> typesByFolder) => _typesByFolder = typesByFolder;

    /// <summary>
    /// Indexes the type names each folder declares, and its sub-namespace names, so that a sibling-qualified name
    /// (<c>Data.RawSample</c>) is told apart from a member access on a property that happens to share a folder's name
    /// (<c>Data.Root</c> on a config's <c>Data</c> property).
    /// </summary>
    public static FolderDependencies Index(IEnumerable<SourceFile> files)
    {
        var types = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            if (file.Folder.Length == 0) continue;
            if (!types.TryGetValue(file.Folder, out var names)) types[file.Folder] = names = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in TypeDeclaration().Matches(file.Text)) names.Add(m.Groups["name"].Value);
            foreach (string segment in file.ExpectedNamespace.Split('.').Skip(2)) names.Add(segment);
        }
        return new FolderDependencies(types);
    }

    /// <summary>The top-level names after <c>ClipLab.</c> that <paramref name="file"/> uses, its own folder included.</summary>
    public IReadOnlySet<string> Of(SourceFile file)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        string code = CodeOnly(file.Text);
        // A namespace declaration names the file's own place, not a dependency.
        code = NamespaceDeclaration().Replace(code, "");
        foreach (Match m in QualifiedFromRoot().Matches(code)) used.Add(m.Groups["top"].Value);
        foreach (Match m in Cref().Matches(file.Text))
        {
            string cref = m.Groups["cref"].Value;
            var root = QualifiedFromRoot().Match(cref);
            if (root.Success) used.Add(root.Groups["top"].Value);
            else AddSiblingQualified(cref, used);
        }
        AddSiblingQualified(code, used);
        return used;
    }

    private void AddSiblingQualified(string code, HashSet<string> used)
    {
        foreach (Match m in SiblingQualified().Matches(code))
        {
            string top = m.Groups["top"].Value, next = m.Groups["next"].Value;
            if (_typesByFolder.TryGetValue(top, out var names) && names.Contains(next)) used.Add(top);
        }
    }

    /// <summary>The text with comments removed and string and character literals emptied.</summary>
    public static string CodeOnly(string text)
    {
        var code = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            char next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (c == '/' && next == '*')
            {
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
                code.Append(' ');
            }
            else if (StartsString(text, i))
            {
                i = SkipString(text, i);
                code.Append("\"\"");
            }
            else if (c == '\'')
            {
                i = SkipChar(text, i);
                code.Append("' '");
            }
            else
            {
                code.Append(c);
                i++;
            }
        }
        return code.ToString();
    }

    private static bool StartsString(string text, int i)
    {
        char c = text[i], next = i + 1 < text.Length ? text[i + 1] : '\0';
        return c == '"' || ((c == '@' || c == '$') && (next == '"' || next == '@' || next == '$'));
    }

    // From a string's prefix ($, @, $@ …) to just past its closing quote(s): raw """ strings, verbatim "" escapes, and
    // interpolation holes, whose code may hold strings of its own ($"{string.Join(", ", names)}").
    private static int SkipString(string text, int start)
    {
        int i = start;
        bool verbatim = false, interpolated = false;
        while (text[i] != '"')
        {
            if (text[i] == '@') verbatim = true;
            else interpolated = true;
            i++;
        }
        int quotes = 0;
        while (i + quotes < text.Length && text[i + quotes] == '"') quotes++;
        if (quotes >= 3)
        {
            string fence = new('"', quotes);
            int end = text.IndexOf(fence, i + quotes, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + quotes;
        }
        if (quotes == 2) return i + 2;
        i++;
        while (i < text.Length)
        {
            char c = text[i], next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (verbatim && c == '"' && next == '"') i += 2;
            else if (!verbatim && c == '\\') i += 2;
            else if (c == '"') return i + 1;
            else if (interpolated && c == '{' && next == '{') i += 2;
            else if (interpolated && c == '{') i = SkipHole(text, i + 1);
            else i++;
        }
        return i;
    }

    // The code of an interpolation hole, from just after its '{' to just past its '}'.
    private static int SkipHole(string text, int i)
    {
        int depth = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (StartsString(text, i)) i = SkipString(text, i);
            else if (c == '\'') i = SkipChar(text, i);
            else if (c == '{') { depth++; i++; }
            else if (c == '}' && depth == 0) return i + 1;
            else if (c == '}') { depth--; i++; }
            else i++;
        }
        return i;
    }

    private static int SkipChar(string text, int start)
    {
        int i = start + 1;
        while (i < text.Length && text[i] != '\'') i += text[i] == '\\' ? 2 : 1;
        return i + 1;
    }

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(?:class\s+|struct\s+)?(?<name>[A-Z]\w*)")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"^\s*namespace\s+[\w.]+", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"(?<![\w.])ClipLab\.(?<top>[A-Z]\w*)")]
    private static partial Regex QualifiedFromRoot();

    [GeneratedRegex(@"(?<![\w.])(?<top>[A-Z]\w*)\.(?<next>[A-Z]\w*)")]
    private static partial Regex SiblingQualified();

    [GeneratedRegex(@"cref=""(?<cref>[^""]+)""")]
    private static partial Regex Cref();
}
