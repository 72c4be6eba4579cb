using System.Globalization;
using System.Text.RegularExpressions;

namespace ClipLab.Data.WebDataset;

/// <summary>
/// Expands WebDataset/open_clip shard specifications: brace ranges <c>{00000..00099}</c> (zero padding kept,
/// descending ranges allowed), brace lists <c>{a,b}</c> (nestable), several braces per pattern, and
/// <c>::</c>-separated lists of patterns as accepted by open_clip's <c>--train-data</c>.
/// </summary>
public static partial class ShardPattern
{
    /// <summary>Most names one specification may expand to (guards against typos like <c>{0..99999999}</c>).</summary>
    public const int MaxExpansion = 10_000_000;

    /// <summary>Expands a pattern, or a <c>::</c>-separated list of patterns, in order.</summary>
    /// <exception cref="FormatException">A brace is unbalanced or malformed; the message names the pattern.</exception>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var result = new List<string>();
        foreach (string part in pattern.Split("::"))
        {
            string trimmed = part.Trim();
            if (trimmed.Length == 0) throw new FormatException($"empty entry in shard list '{pattern}'");
            foreach (string name in ExpandOne(trimmed, trimmed))
            {
                result.Add(name);
                if (result.Count > MaxExpansion) throw new FormatException($"'{pattern}' expands to more than {MaxExpansion:N0} names");
            }
        }
        return result;
    }

    /// <summary>Expands each entry of a list (each may itself be a pattern or a <c>::</c> list) and concatenates.</summary>
    public static IReadOnlyList<string> ExpandAll(IEnumerable<string> patterns)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        return patterns.SelectMany(Expand).ToList();
    }

    private static IEnumerable<string> ExpandOne(string text, string pattern)
    {
        int open = text.IndexOf('{');
        int strayClose = text.IndexOf('}');
        if (open < 0)
        {
            if (strayClose >= 0) throw new FormatException($"unmatched '}}' in shard pattern '{pattern}'");
            return [text];
        }
        if (strayClose >= 0 && strayClose < open) throw new FormatException($"unmatched '}}' in shard pattern '{pattern}'");
        int close = MatchingBrace(text, open) ?? throw new FormatException($"unmatched '{{' in shard pattern '{pattern}'");
        string head = text[..open], body = text[(open + 1)..close], tail = text[(close + 1)..];
        IReadOnlyList<string> choices = Alternatives(body, pattern);
        var tails = ExpandOne(tail, pattern).ToList();
        return choices.SelectMany(c => tails.Select(t => head + c + t)).ToList();
    }

    private static int? MatchingBrace(string text, int open)
    {
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return i;
        }
        return null;
    }

    private static IReadOnlyList<string> Alternatives(string body, string pattern)
    {
        var parts = SplitTopLevel(body);
        if (parts.Count > 1) return parts.SelectMany(p => ExpandOne(p, pattern)).ToList();
        var m = RangePattern().Match(body);
        if (!m.Success) throw new FormatException($"'{{{body}}}' in shard pattern '{pattern}' is neither a range like {{000..099}} nor a list like {{a,b}}");
        string from = m.Groups[1].Value, to = m.Groups[2].Value;
        if (!long.TryParse(from, CultureInfo.InvariantCulture, out long a) || !long.TryParse(to, CultureInfo.InvariantCulture, out long b))
            throw new FormatException($"range '{{{body}}}' in shard pattern '{pattern}' has numbers out of range");
        if (Math.Abs((decimal)b - a) + 1 > MaxExpansion) throw new FormatException($"range '{{{body}}}' in shard pattern '{pattern}' has more than {MaxExpansion:N0} values");
        // Zero padding as in bash and braceexpand: when either end has a leading zero, pad to the longer width.
        bool padded = (from.Length > 1 && from[0] == '0') || (to.Length > 1 && to[0] == '0');
        int width = padded ? Math.Max(from.Length, to.Length) : 0;
        var values = new List<string>();
        long step = a <= b ? 1 : -1;
        for (long v = a; ; v += step)
        {
            values.Add(width > 0 ? v.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0') : v.ToString(CultureInfo.InvariantCulture));
            if (v == b) break;
        }
        return values;
    }

    private static List<string> SplitTopLevel(string body)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        for (int i = 0; i < body.Length; i++)
        {
            if (body[i] == '{') depth++;
            else if (body[i] == '}') depth--;
            else if (body[i] == ',' && depth == 0)
            {
                parts.Add(body[start..i]);
                start = i + 1;
            }
        }
        parts.Add(body[start..]);
        return parts;
    }

    [GeneratedRegex(@"^(\d+)\.\.(\d+)$")]
    private static partial Regex RangePattern();
}
