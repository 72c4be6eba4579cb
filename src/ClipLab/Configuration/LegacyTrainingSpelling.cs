using System.Text.Json.Nodes;

namespace ClipLab.Configuration;

/// <summary>
/// Reads the spelling of <c>training.strategy</c> and <c>training.loss</c> used before they became records: a name
/// (<c>"strategy": "flip"</c>, <c>"loss": "siglip"</c>) with the strategy's settings in a side block
/// (<c>"flip": {...}</c>, <c>"slip": {...}</c>), and <c>clip-aug</c>'s pipeline in <c>data.augmentation</c>. Each is
/// rewritten to the record form (<c>"strategy": {"type": "flip", "maskRatio": 0.5}</c>) before the config binds, so
/// files written for earlier versions, and run folders they trained, keep loading; a run then records the new form.
/// </summary>
public static class LegacyTrainingSpelling
{
    /// <summary>Strategy settings blocks of the old spelling, keyed by the strategy they belong to.</summary>
    private static readonly string[] SideBlocks = ["slip", "flip"];

    /// <summary>Rewrites the old spelling in <paramref name="root"/> (a run config's JSON) in place.</summary>
    /// <exception cref="ConfigException">A settings block belongs to another strategy than the one chosen.</exception>
    public static void Migrate(JsonObject root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (Member(root, "training") is not JsonObject training) return;
        MigrateStrategy(root, training);
        if (Member(training, "loss") is JsonValue loss && loss.TryGetValue(out string? lossName))
            Replace(training, "loss", new JsonObject { ["type"] = lossName });
    }

    private static void MigrateStrategy(JsonObject root, JsonObject training)
    {
        var strategy = Member(training, "strategy");
        if (strategy is JsonObject)
        {
            foreach (string block in SideBlocks)
            {
                if (Member(training, block) is not null)
                    throw new ConfigException($"training.{block} is the old place of {block.ToUpperInvariant()}'s settings; with training.strategy written as " +
                        $"an object, put them in it: \"strategy\": {{\"type\": \"{block}\", ...}}.");
                Remove(training, block); // an explicit null, as older runs' config.json files hold
            }
            return;
        }
        string? name = strategy is JsonValue value && value.TryGetValue(out string? text) ? text : null;
        if (strategy is not null && name is null) return; // neither spelling: left to the reader, which names the expected kind
        name ??= "clip";
        var record = new JsonObject { ["type"] = name };
        foreach (string block in SideBlocks)
        {
            var settings = Member(training, block);
            Remove(training, block);
            if (settings is null) continue;
            if (name != block)
                throw new ConfigException($"training.{block} is set but training.strategy is \"{name}\"; remove training.{block} or use strategy \"{block}\".");
            if (settings is not JsonObject fields)
                throw new ConfigException($"'training.{block}' must be an object ({{ ... }}) of {block.ToUpperInvariant()} settings.");
            foreach (var (key, field) in fields.ToList())
            {
                fields.Remove(key);
                record[key] = field;
            }
        }
        // clip-aug took its pipeline from data.augmentation; the record holds it now, and data.augmentation stays "none".
        if (name == "clip-aug" && Member(root, "data") is JsonObject data && Member(data, "augmentation") is JsonValue augmentation
            && augmentation.TryGetValue(out string? pipeline))
        {
            Remove(data, "augmentation");
            if (!ClipAugStrategyConfig.NonAugmenting.Contains(pipeline)) record["augmentation"] = pipeline;
        }
        Replace(training, "strategy", record);
    }

    // Config keys bind case-insensitively (ConfigJson.Options), so they are found the same way here.
    private static string? Key(JsonObject node, string name) =>
        node.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));

    private static JsonNode? Member(JsonObject node, string name) => Key(node, name) is { } key ? node[key] : null;

    private static void Remove(JsonObject node, string name)
    {
        if (Key(node, name) is { } key) node.Remove(key);
    }

    private static void Replace(JsonObject node, string name, JsonNode value)
    {
        Remove(node, name);
        node[name] = value;
    }
}
