using System.Text.Json;
using System.Text.Json.Serialization;

namespace ClipLab.Interop.StateDictNames;

/// <summary>
/// A table translating ClipLab's state-dict names to another library's and back, loaded from a JSON asset
/// (<c>Interop/StateDictNames/Maps/*.json</c>, embedded in the library): ordered <see cref="NameRule"/>s (first match
/// wins), ClipLab names with no counterpart (<see cref="OmittedName"/>, dropped on export) and foreign names an import
/// skips (<see cref="IgnoredName"/>). The mapping is data: this class only matches patterns.
/// </summary>
public sealed class StateDictNameMap
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly List<(NamePattern ClipLab, NamePattern Other, TensorTransform Transform)> _rules;
    private readonly List<(NamePattern ClipLab, string Reason)> _omitted;
    private readonly List<(NamePattern Other, string Reason)> _ignored;

    private StateDictNameMap(string name, IEnumerable<NameMapSpec> specs)
    {
        Name = name;
        _rules = [];
        _omitted = [];
        _ignored = [];
        foreach (var spec in specs)
        {
            foreach (var rule in spec.Rules)
            {
                var clipLab = new NamePattern(rule.ClipLab);
                var other = new NamePattern(rule.OpenClip);
                if (!clipLab.Placeholders.Order().SequenceEqual(other.Placeholders.Order()))
                {
                    throw new InvalidDataException($"name map '{spec.Name}': rule '{rule.ClipLab}' ↔ '{rule.OpenClip}' uses different placeholders on each side.");
                }

                _rules.Add((clipLab, other, rule.Transform));
            }

            _omitted.AddRange((spec.Omit ?? []).Select(o => (new NamePattern(o.ClipLab), o.Reason)));
            _ignored.AddRange((spec.IgnoreOnImport ?? []).Select(i => (new NamePattern(i.OpenClip), i.Reason)));
        }
    }

    /// <summary>The asset names this map was combined from, joined by '+'.</summary>
    public string Name { get; }

    /// <summary>Loads the embedded maps <paramref name="assets"/> (e.g. "clip", "vit") and combines them in order.</summary>
    /// <exception cref="InvalidDataException">An asset is missing or malformed.</exception>
    public static StateDictNameMap Load(params string[] assets)
    {
        ArgumentNullException.ThrowIfNull(assets);
        var specs = assets.Select(LoadSpec).ToList();
        return new StateDictNameMap(string.Join("+", assets), specs);
    }

    /// <summary>The other library's name of a ClipLab tensor and the layout change, or null when no rule matches.</summary>
    public (string Name, TensorTransform Transform)? ToOther(string clipLabName)
    {
        foreach (var (clipLab, other, transform) in _rules)
        {
            if (clipLab.Match(clipLabName) is { } captures)
            {
                return (other.Fill(captures), transform);
            }
        }

        return null;
    }

    /// <summary>The ClipLab name of another library's tensor, or null when no rule matches.</summary>
    public string? ToClipLab(string otherName)
    {
        foreach (var (clipLab, other, _) in _rules)
        {
            if (other.Match(otherName) is { } captures)
            {
                return clipLab.Fill(captures);
            }
        }

        return null;
    }

    /// <summary>Why a ClipLab tensor has no counterpart and is left out of an export, or null when it is mapped.</summary>
    public string? OmitReason(string clipLabName) => _omitted.FirstOrDefault(o => o.ClipLab.Match(clipLabName) is not null).Reason;

    /// <summary>Why an import skips a foreign tensor, or null when it must be used.</summary>
    public string? IgnoreReason(string otherName) => _ignored.FirstOrDefault(i => i.Other.Match(otherName) is not null).Reason;

    /// <summary>
    /// The maps among <paramref name="assets"/> whose signature (a name only that family's files hold, e.g. the ViT's
    /// fused attention weights) occurs in <paramref name="otherNames"/>, with the name that gave each away; this tells
    /// which architecture a foreign file holds.
    /// </summary>
    public static IReadOnlyList<(string Map, string Evidence)> Recognise(IEnumerable<string> otherNames, params string[] assets)
    {
        ArgumentNullException.ThrowIfNull(otherNames);
        var names = otherNames.ToList();
        var found = new List<(string, string)>();
        foreach (var spec in assets.Select(LoadSpec).Where(s => s.Signature is not null))
        {
            var signature = new NamePattern(spec.Signature!);
            var evidence = names.FirstOrDefault(n => signature.Match(n) is not null);
            if (evidence is not null) found.Add((spec.Name, evidence));
        }

        return found;
    }

    private static NameMapSpec LoadSpec(string asset)
    {
        var resource = $"{typeof(StateDictNameMap).Namespace}.Maps.{asset}.json";
        using var stream = typeof(StateDictNameMap).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidDataException($"name map '{asset}' is not embedded in the library (resource {resource}).");
        try
        {
            return JsonSerializer.Deserialize<NameMapSpec>(stream, JsonOptions)
                ?? throw new InvalidDataException($"name map '{asset}' is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"name map '{asset}' is malformed: {ex.Message}", ex);
        }
    }

    private sealed record NameMapSpec(
        string Name, string Description, IReadOnlyList<NameRule> Rules, IReadOnlyList<OmittedName>? Omit, IReadOnlyList<IgnoredName>? IgnoreOnImport, string? Signature);
}

/// <summary>One line of a name map: a ClipLab name pattern, the open_clip pattern and the layout change between them.</summary>
/// <param name="ClipLab">ClipLab state-dict name pattern.</param>
/// <param name="OpenClip">open_clip (or timm) state-dict name pattern with the same placeholders.</param>
/// <param name="Transform">Layout change, the same in both directions.</param>
public sealed record NameRule(string ClipLab, string OpenClip, TensorTransform Transform = TensorTransform.None);

/// <summary>ClipLab tensors an export leaves out, and why.</summary>
/// <param name="ClipLab">ClipLab state-dict name pattern.</param>
/// <param name="Reason">Why open_clip has no counterpart.</param>
public sealed record OmittedName(string ClipLab, string Reason);

/// <summary>Foreign tensors an import skips, and why.</summary>
/// <param name="OpenClip">open_clip (or timm) state-dict name pattern.</param>
/// <param name="Reason">Why ClipLab does not need it.</param>
public sealed record IgnoredName(string OpenClip, string Reason);
