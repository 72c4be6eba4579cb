using System.Text;
using System.Text.RegularExpressions;

namespace ClipLab.Interop.StateDictNames;

/// <summary>
/// A state-dict name with placeholders: <c>{i}</c> stands for one dot-free segment (a block index, <c>weight</c> or
/// <c>bias</c>), <c>{*path}</c> for one or more segments. Matching captures the placeholders; <see cref="Fill"/> puts
/// captures back, so two patterns with the same placeholders translate a name in either direction.
/// </summary>
public sealed partial class NamePattern
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="text"/>.</summary>
    /// <exception cref="ArgumentException">A placeholder is malformed or repeated.</exception>
    public NamePattern(string text)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        Text = text;
        var regex = new StringBuilder("^");
        var names = new List<string>();
        var last = 0;
        foreach (Match placeholder in PlaceholderRegex().Matches(text))
        {
            regex.Append(Regex.Escape(text[last..placeholder.Index]));
            var name = placeholder.Groups["name"].Value;
            if (names.Contains(name))
            {
                throw new ArgumentException($"name pattern '{text}' uses placeholder '{name}' twice.", nameof(text));
            }

            names.Add(name);
            regex.Append(placeholder.Groups["star"].Success ? $"(?<{name}>.+)" : $"(?<{name}>[^.]+)");
            last = placeholder.Index + placeholder.Length;
        }

        regex.Append(Regex.Escape(text[last..])).Append('$');
        if (regex.ToString().Contains('{', StringComparison.Ordinal))
        {
            throw new ArgumentException($"name pattern '{text}' has a malformed placeholder; write {{name}} or {{*name}}.", nameof(text));
        }

        Placeholders = names;
        _regex = new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Placeholder names in order of appearance.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Matches a whole name; returns the captured placeholders, or null when it does not match.</summary>
    public IReadOnlyDictionary<string, string>? Match(string name)
    {
        var match = _regex.Match(name);
        return match.Success ? Placeholders.ToDictionary(p => p, p => match.Groups[p].Value, StringComparer.Ordinal) : null;
    }

    /// <summary>Writes the pattern with its placeholders replaced by <paramref name="captures"/>.</summary>
    public string Fill(IReadOnlyDictionary<string, string> captures)
    {
        ArgumentNullException.ThrowIfNull(captures);
        return PlaceholderRegex().Replace(Text, m => captures[m.Groups["name"].Value]);
    }

    [GeneratedRegex(@"\{(?<star>\*)?(?<name>[A-Za-z][A-Za-z0-9]*)\}")]
    private static partial Regex PlaceholderRegex();
}
