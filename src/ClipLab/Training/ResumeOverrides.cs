using System.Text.Json;
using System.Text.Json.Nodes;
using ClipLab.Configuration;

namespace ClipLab.Training;

/// <summary>
/// The config changes a resumed run accepts. A run resumes with the config stored in its checkpoint, changed by
/// (1) edits of the run folder's <c>config.json</c>, detected by comparing its SHA-256 with the checkpoint's copy, and
/// (2) <c>--set key=value</c> settings, applied after the edits. Only the keys in <see cref="SafeKeys"/> may change:
/// they steer the optimisation from here on or only its bookkeeping, while every other key (the model, the data, the
/// batch size, the strategy, the seed, AdamW's betas) is part of what the checkpoint's weights, optimizer state and
/// data position mean. Any other change is refused with a message naming each key.
/// </summary>
public static class ResumeOverrides
{
    /// <summary>
    /// The keys a resumed run may change; <c>evaluation.*</c> covers the whole evaluation section. The budget keys may
    /// move the end of the run (which re-times the cosine decay from the current step on), but not before the checkpoint.
    /// </summary>
    public static IReadOnlyList<string> SafeKeys { get; } =
    [
        "training.learningRate", "training.minLearningRateRatio", "training.warmupSteps", "training.gradClipNorm",
        "training.weightDecay", "training.samplesSeen", "training.epochs", "training.budgetGflops",
        "training.checkpointEverySteps", "training.logEverySteps", "training.keepCheckpoints", "training.threads",
        "training.activationCheckpointing", "data.maxBadFraction", "evaluation.*",
    ];

    /// <summary>The budget keys among <see cref="SafeKeys"/>: changing one moves the run's last step.</summary>
    public static IReadOnlyList<string> BudgetKeys { get; } = ["training.samplesSeen", "training.epochs", "training.budgetGflops"];

    /// <summary>Whether <paramref name="key"/> (a dotted camelCase path such as <c>training.learningRate</c>) may change on resume.</summary>
    public static bool IsSafe(string key) =>
        SafeKeys.Any(safe => safe.EndsWith(".*", StringComparison.Ordinal)
            ? key.StartsWith(safe[..^1], StringComparison.Ordinal)
            : key == safe);

    /// <summary>
    /// The config to resume <paramref name="checkpointDirectory"/> with: its stored config, plus the edits of
    /// <paramref name="runDirectory"/>'s <c>config.json</c>, plus <paramref name="settings"/> (<c>key=value</c>, the value
    /// JSON or a bare string), with every change listed.
    /// </summary>
    /// <exception cref="ConfigException">A change touches a key outside <see cref="SafeKeys"/>, a setting is malformed, or
    /// the edited config is invalid.</exception>
    public static ResumedConfig Apply(string checkpointDirectory, string runDirectory, IReadOnlyList<string> settings)
    {
        var saved = Checkpoint.LoadConfig(checkpointDirectory);
        var savedNode = Node(saved);
        var current = savedNode.DeepClone().AsObject();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);

        string edited = Path.Combine(runDirectory, Checkpoint.ConfigFile);
        if (File.Exists(edited) && CheckpointManifest.Sha256(edited) != CheckpointManifest.Sha256(Path.Combine(checkpointDirectory, Checkpoint.ConfigFile)))
        {
            // Parsed strictly first, so a typo or a wrong type in the edit is reported with its key and file.
            current = Node(ConfigJson.Load<RunConfig>(edited));
            var edits = Differences(savedNode, current).ToList();
            var unsafeEdits = edits.Where(d => !IsSafe(d.Key)).ToList();
            if (unsafeEdits.Count > 0)
                throw new ConfigException($"{edited} was edited since checkpoint {Path.GetFileName(checkpointDirectory)} in keys a resumed run cannot change: " +
                    string.Join(", ", unsafeEdits.Select(d => $"{d.Key} ({d.Old} -> {d.New})")) +
                    $". Undo those edits (the checkpoint's copy is {Path.Combine(checkpointDirectory, Checkpoint.ConfigFile)}) or start a new run with --config; " +
                    $"keys that can change on resume: {string.Join(", ", SafeKeys)}.");
            foreach (var d in edits) sources[d.Key] = edited;
        }

        foreach (string setting in settings)
        {
            var (key, value) = ConfigSettings.Parse(setting);
            if (!IsSafe(key))
                throw new ConfigException($"--set {key}: a resumed run cannot change {key}; start a new run with --config for that. " +
                    $"Keys that can change on resume: {string.Join(", ", SafeKeys)}.");
            ConfigSettings.Assign(current, key, value);
            sources[key] = "--set";
        }

        var config = ConfigJson.Parse<RunConfig>(current.ToJsonString(), settings.Count > 0 ? "--set" : edited);
        var changes = Differences(savedNode, Node(config))
            .Select(d => new ConfigChange(d.Key, d.Old, d.New, SourceOf(sources, d.Key)))
            .ToList();
        return new ResumedConfig(config, saved, changes);
    }

    private static string SourceOf(Dictionary<string, string> sources, string key) =>
        sources.TryGetValue(key, out var source) ? source
        : sources.FirstOrDefault(s => key.StartsWith(s.Key + ".", StringComparison.Ordinal)).Value ?? "--set";

    private static JsonObject Node(RunConfig config) => JsonNode.Parse(ConfigJson.Serialize(config))!.AsObject();

    /// <summary>Every leaf (a value or a whole array) that differs between two configs, as dotted keys.</summary>
    private static IEnumerable<(string Key, string Old, string New)> Differences(JsonNode? before, JsonNode? after, string path = "")
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (string key in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
                foreach (var d in Differences(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}"))
                    yield return d;
            yield break;
        }
        string old = before?.ToJsonString() ?? "null", now = after?.ToJsonString() ?? "null";
        if (old != now) yield return (path, old, now);
    }
}

/// <summary>The config a resumed run continues with, and what changed from its checkpoint's config.</summary>
/// <param name="Config">The config to continue with.</param>
/// <param name="Saved">The config stored in the checkpoint.</param>
/// <param name="Changes">Each changed key, in config order.</param>
public sealed record ResumedConfig(RunConfig Config, RunConfig Saved, IReadOnlyList<ConfigChange> Changes);

/// <summary>One key changed on resume.</summary>
/// <param name="Key">Dotted camelCase key, e.g. <c>training.learningRate</c>.</param>
/// <param name="Old">The checkpoint's value, as JSON.</param>
/// <param name="New">The value the run continues with, as JSON.</param>
/// <param name="Source">Where the change came from: <c>--set</c> or the path of the edited config.json.</param>
public sealed record ConfigChange(string Key, string Old, string New, string Source)
{
    /// <inheritdoc />
    public override string ToString() => $"{Key}: {Old} -> {New} ({Source})";
}
