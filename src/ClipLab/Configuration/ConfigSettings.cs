using System.Text.Json;
using System.Text.Json.Nodes;

namespace ClipLab.Configuration;

/// <summary>
/// <c>--set key=value</c> settings: a dotted camelCase key (matched case-insensitively) and a value that is JSON
/// (<c>1e-4</c>, <c>true</c>, <c>null</c>, <c>"text"</c>, <c>[..]</c>, <c>{..}</c>) or else taken as a string.
/// </summary>
public static class ConfigSettings
{
    /// <summary>
    /// <paramref name="config"/> with every setting applied in order, then read back strictly (unknown keys and values
    /// of the wrong kind are reported as for a config file).
    /// </summary>
    /// <exception cref="ConfigException">A setting is malformed or names an unknown key.</exception>
    public static RunConfig Apply(RunConfig config, IReadOnlyList<string> settings)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Count == 0) return config;
        var node = JsonNode.Parse(ConfigJson.Serialize(config))!.AsObject();
        foreach (string setting in settings)
        {
            var (key, value) = Parse(setting);
            Assign(node, key, value);
        }
        return ConfigJson.Parse<RunConfig>(node.ToJsonString(), "--set");
    }

    /// <summary>Splits <c>key=value</c>.</summary>
    /// <exception cref="ConfigException">The setting has no <c>=</c> or no key.</exception>
    public static (string Key, string Value) Parse(string setting)
    {
        ArgumentNullException.ThrowIfNull(setting);
        int equals = setting.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
            throw new ConfigException($"--set \"{setting}\" is not key=value; write for example --set training.learningRate=1e-4.");
        return (setting[..equals].Trim(), setting[(equals + 1)..].Trim());
    }

    /// <summary>Sets <paramref name="key"/> in <paramref name="root"/>; the key's parts are matched case-insensitively.</summary>
    /// <exception cref="ConfigException">A part of the key is not in the config.</exception>
    public static void Assign(JsonObject root, string key, string value)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(key);
        string[] parts = key.Split('.');
        JsonObject node = root;
        for (int i = 0; i < parts.Length; i++)
        {
            string? name = node.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, parts[i], StringComparison.OrdinalIgnoreCase));
            if (name is null)
                throw new ConfigException($"--set {key}: unknown key '{string.Join('.', parts[..(i + 1)])}'. Valid keys here: {string.Join(", ", node.Select(p => p.Key))}");
            if (i == parts.Length - 1)
            {
                node[name] = ParseValue(value);
                return;
            }
            node = node[name] as JsonObject
                ?? throw new ConfigException($"--set {key}: '{string.Join('.', parts[..(i + 1)])}' is not a section of the config " +
                    $"(it is null or a value); set it whole, e.g. --set {string.Join('.', parts[..(i + 1)])}={{}} first.");
        }
    }

    /// <summary>A JSON value (number, true, null, "text", [..]) as written, or else the text itself as a string.</summary>
    private static JsonNode? ParseValue(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }
}
