using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ClipLab.Imaging.Pipeline;

/// <summary>
/// Parses the two pipeline notations into <see cref="ImageOpCall"/>s: the string form
/// <c>resize(72) | random_crop(64) | flip | randaug(2, 9, mstd=0.5) | value_range(-1, 1)</c> and the JSON form
/// <c>[{"op": "resize", "args": [72]}, {"op": "randaug", "args": {"n": 2, "m": 9}}]</c>.
/// </summary>
public static partial class ImagePipelineSpecParser
{
    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\((.*)\))?\s*$", RegexOptions.Singleline)]
    private static partial Regex CallPattern();

    [GeneratedRegex(@"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+?)\s*$")]
    private static partial Regex KeywordPattern();

    /// <summary>Parses the string form (ops separated by <c>|</c>; whitespace ignored).</summary>
    /// <exception cref="ArgumentException">Malformed text; the message quotes the bad part.</exception>
    public static IReadOnlyList<ImageOpCall> ParseString(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (string.IsNullOrWhiteSpace(spec)) throw new ArgumentException("empty image pipeline spec");
        var calls = new List<ImageOpCall>();
        foreach (string part in spec.Split('|'))
        {
            var m = CallPattern().Match(part);
            if (!m.Success)
                throw new ArgumentException($"cannot parse '{part.Trim()}' in image pipeline spec '{spec}': expected name or name(arg, ...)");
            var positional = new List<double>();
            var named = new Dictionary<string, double>(StringComparer.Ordinal);
            string args = m.Groups[2].Value;
            if (!string.IsNullOrWhiteSpace(args))
            {
                foreach (string raw in args.Split(','))
                {
                    var kw = KeywordPattern().Match(raw);
                    string name = m.Groups[1].Value;
                    if (kw.Success)
                    {
                        if (!named.TryAdd(kw.Groups[1].Value, ParseNumber(kw.Groups[2].Value, name)))
                            throw new ArgumentException($"image op '{name}': argument '{kw.Groups[1].Value}' is given twice");
                    }
                    else
                    {
                        if (named.Count > 0) throw new ArgumentException($"image op '{name}': positional argument '{raw.Trim()}' after keyword arguments");
                        positional.Add(ParseNumber(raw, name));
                    }
                }
            }
            calls.Add(new ImageOpCall(m.Groups[1].Value, positional, named));
        }
        return calls;
    }

    /// <summary>Parses the JSON form: an array of objects with "op" and optional "args" (array or object of numbers).</summary>
    /// <exception cref="ArgumentException">Malformed JSON or structure.</exception>
    public static IReadOnlyList<ImageOpCall> ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"image pipeline JSON is malformed: {e.Message}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
                throw new ArgumentException("image pipeline JSON must be an array of {\"op\": name, \"args\": [...]} objects");
            var calls = new List<ImageOpCall>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
                    throw new ArgumentException($"image pipeline JSON: each entry needs a string \"op\", got {item.GetRawText()}");
                string name = op.GetString()!;
                var positional = new List<double>();
                var named = new Dictionary<string, double>(StringComparer.Ordinal);
                if (item.TryGetProperty("args", out var args))
                {
                    if (args.ValueKind == JsonValueKind.Array)
                        foreach (var a in args.EnumerateArray()) positional.Add(JsonNumber(a, name));
                    else if (args.ValueKind == JsonValueKind.Object)
                        foreach (var p in args.EnumerateObject()) named[p.Name] = JsonNumber(p.Value, name);
                    else if (args.ValueKind != JsonValueKind.Null)
                        throw new ArgumentException($"image op '{name}': \"args\" must be an array or an object, got {args.GetRawText()}");
                }
                calls.Add(new ImageOpCall(name, positional, named));
            }
            return calls;
        }
    }

    private static double JsonNumber(JsonElement e, string op) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw new ArgumentException($"image op '{op}': arguments must be numbers, got {e.GetRawText()}");

    private static double ParseNumber(string text, string op) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v
            : throw new ArgumentException($"image op '{op}': '{text.Trim()}' is not a number");
}
