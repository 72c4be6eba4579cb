using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace ClipLab.Studies.Reporting;

/// <summary>
/// Reads a config key (a dotted path, as for <c>--set</c>) from a study run's resolved config, as the text an axis value
/// would have: strings unquoted, numbers as written, a polymorphic record (<c>training.strategy</c>) by its <c>type</c>.
/// </summary>
internal static class ResolvedConfigValue
{
    // Each record's config is parsed once: the judge asks for values many times per run.
    private static readonly ConditionalWeakTable<StudyRunRecord, JsonDocument?> Parsed = new();

    /// <summary>The value of <paramref name="key"/> in <paramref name="run"/>'s resolved config; null when absent or null.</summary>
    public static string? Of(StudyRunRecord run, string key)
    {
        var document = Parsed.GetValue(run, r => Parse(r.ResolvedConfigJson));
        if (document is null) return null;
        var element = document.RootElement;
        foreach (string part in key.Split('.'))
        {
            if (element.ValueKind != JsonValueKind.Object || !TryGetProperty(element, part, out element)) return null;
        }
        return element.ValueKind switch
        {
            JsonValueKind.String => element.GetString(),
            JsonValueKind.Number => element.GetDouble().ToString("R", CultureInfo.InvariantCulture),
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            JsonValueKind.Object when TryGetProperty(element, "type", out var type) && type.ValueKind == JsonValueKind.String => type.GetString(),
            _ => null,
        };
    }

    private static JsonDocument? Parse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }

    // Config keys are matched without regard to case, as --set does.
    private static bool TryGetProperty(JsonElement element, string name, out JsonElement value)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (!string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            value = property.Value;
            return true;
        }
        value = default;
        return false;
    }
}
