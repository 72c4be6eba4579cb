using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClipLab.Configuration;

namespace ClipLab.Studies;

/// <summary>
/// Expands a study's grid into runs: the axes crossed in file order (the budget regimes first when there are several),
/// then the seeds. Each axis value is applied to the base config as <c>--set key=value</c> would be, so any config key
/// can be an axis; the run id is made of the axis values and the seed, so it is the same on every machine and every run.
/// </summary>
public static class StudyGrid
{
    /// <summary>The axis key of the quality subsets (the top fraction of the scored pool); needs a scorer step.</summary>
    public const string KeepTopKey = "data.keepTop";

    /// <summary>The implicit axis made by two or more budget regimes.</summary>
    public const string BudgetKey = "budget";

    /// <summary>Axis keys that set the budget, which a <c>one-epoch</c> or <c>fixed-samples</c> regime already sets.</summary>
    private static readonly string[] BudgetAxisKeys = ["training.samplesSeen", "training.epochs", "training.budgetGflops"];

    /// <summary>Expands <paramref name="section"/>'s grid over <paramref name="baseConfig"/>; <paramref name="where"/> prefixes errors.</summary>
    /// <exception cref="ConfigException">An axis is empty, repeated, unknown, or fights the budget regime; a seed is repeated.</exception>
    public static IReadOnlyList<PlannedRun> Expand(StudyScale section, RunConfig baseConfig, string where = "study")
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(baseConfig);
        var axes = CheckAxes(section, where);
        if (section.Seeds.Count == 0) throw new ConfigException($"{where}: 'seeds' is empty; give at least one seed, e.g. [0].");
        if (section.Seeds.Distinct().Count() != section.Seeds.Count)
            throw new ConfigException($"{where}: 'seeds' repeats a seed ({string.Join(", ", section.Seeds)}); each seed once.");

        var runs = new List<PlannedRun>();
        foreach (var point in Cross(axes))
            foreach (int seed in section.Seeds)
                runs.Add(Build(point, seed, section, baseConfig, where));
        var clash = runs.GroupBy(r => r.RunId, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ConfigException($"{where}: two grid points get the same run id '{clash.Key}'; make the axis values differ in letters or digits.");
        return runs;
    }

    private static List<(string Key, string[] Values, IReadOnlyList<JsonElement>? Settings)> CheckAxes(StudyScale section, string where)
    {
        var regimes = section.Budget.Regimes;
        if (regimes.Count == 0)
            throw new ConfigException($"{where}: 'budget.regimes' is empty; give one or more of: {string.Join(", ", StudyBudget.Names)}.");
        foreach (string regime in regimes)
            if (!StudyBudget.Names.Contains(regime))
                throw new ConfigException($"{where}: unknown budget regime \"{regime}\". Valid regimes: {string.Join(", ", StudyBudget.Names)}.");
        if (regimes.Contains("fixed-samples") && section.Budget.SamplesSeen is not > 0)
            throw new ConfigException($"{where}: budget regime fixed-samples needs 'budget.samplesSeen', a positive number of samples.");
        if (regimes.Contains("fixed-epochs") && section.Budget.Epochs is not > 0)
            throw new ConfigException($"{where}: budget regime fixed-epochs needs 'budget.epochs', a positive number of passes.");
        if (regimes.Contains("fixed-gflops") && section.Budget.Gflops is not > 0)
            throw new ConfigException($"{where}: budget regime fixed-gflops needs 'budget.gflops', a positive number of training GFLOPs.");

        var axes = new List<(string Key, string[] Values, IReadOnlyList<JsonElement>? Settings)>();
        if (regimes.Count > 1) axes.Add((BudgetKey, regimes.ToArray(), null));
        foreach (var axis in section.Axes)
        {
            if (string.IsNullOrWhiteSpace(axis.Key))
                throw new ConfigException($"{where}: an axis has no 'key'; give a config key such as model, data.trainSubset or training.strategy.");
            if (axis.Values.Count == 0)
                throw new ConfigException($"{where}: axis '{axis.Key}' is empty; give it at least one value.");
            if (axes.Any(a => string.Equals(a.Key, axis.Key, StringComparison.OrdinalIgnoreCase)))
                throw new ConfigException($"{where}: axis '{axis.Key}' appears twice; give each key once with all its values.");
            if (axis.Settings is { } settings)
            {
                if (settings.Count != axis.Values.Count)
                    throw new ConfigException($"{where}: axis '{axis.Key}' has {axis.Values.Count} values but {settings.Count} settings; give one settings object per value.");
                if (settings.Any(s => s.ValueKind != JsonValueKind.Object || !s.EnumerateObject().Any()))
                    throw new ConfigException($"{where}: axis '{axis.Key}' has a settings entry that is not an object of config keys, e.g. {{ \"training.strategy\": \"slip\" }}.");
            }
            var keys = axis.Settings is null ? [axis.Key] : axis.Settings.SelectMany(s => s.EnumerateObject().Select(p => p.Name)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (keys.FirstOrDefault(k => BudgetAxisKeys.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } budgetKey && regimes.Any(r => r != "config"))
                throw new ConfigException($"{where}: axis '{axis.Key}' sets {budgetKey}, which budget regime {string.Join("/", regimes)} already sets; " +
                    "use \"budget\": { \"regimes\": [\"config\"] } to vary the budget by an axis.");
            var values = axis.Values.Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToArray();
            if (values.Distinct(StringComparer.Ordinal).Count() != values.Length)
                throw new ConfigException($"{where}: axis '{axis.Key}' repeats a value ({string.Join(", ", values)}).");
            if (string.Equals(axis.Key, KeepTopKey, StringComparison.OrdinalIgnoreCase))
            {
                if (section.Scoring is null)
                    throw new ConfigException($"{where}: axis '{KeepTopKey}' needs a 'scoring' section (the scorer's config and the pool to score).");
                foreach (var v in axis.Values)
                    if (v.ValueKind != JsonValueKind.Number || !(v.GetDouble() is > 0 and <= 1))
                        throw new ConfigException($"{where}: axis '{KeepTopKey}' value {v.GetRawText()} is not a fraction in (0, 1] (0.4 keeps the top 40%).");
            }
            axes.Add((axis.Key, values, axis.Settings));
        }
        if (section.Scoring is not null && !axes.Any(a => a.Key == KeepTopKey))
            throw new ConfigException($"{where}: 'scoring' is given but no axis is '{KeepTopKey}'; add that axis or remove 'scoring'.");
        return axes;
    }

    private static IEnumerable<List<(string Key, string Value, JsonElement? Settings)>> Cross(
        List<(string Key, string[] Values, IReadOnlyList<JsonElement>? Settings)> axes)
    {
        IEnumerable<List<(string Key, string Value, JsonElement? Settings)>> points = [[]];
        foreach (var (key, values, settings) in axes)
            points = points.SelectMany(p => values.Select((v, i) =>
                new List<(string, string, JsonElement?)>(p) { (key, v, settings?[i]) })).ToList();
        return points;
    }

    private static PlannedRun Build(List<(string Key, string Value, JsonElement? Settings)> point, int seed, StudyScale section, RunConfig baseConfig, string where)
    {
        var node = JsonNode.Parse(ConfigJson.Serialize(baseConfig))!.AsObject();
        double? keepTop = null;
        string regime = section.Budget.Regimes[0];
        foreach (var (key, value, settings) in point)
        {
            if (key == BudgetKey) { regime = value; continue; }
            if (settings is { } set)
            {
                foreach (var property in set.EnumerateObject())
                {
                    string setKey = property.Name;
                    var setValue = property.Value;
                    Set(node, setKey, setValue.GetRawText(), $"{where}: axis {key} value {value} sets");
                    if (string.Equals(setKey, "model", StringComparison.OrdinalIgnoreCase)) node["modelConfig"] = null;
                }
                continue;
            }
            if (string.Equals(key, KeepTopKey, StringComparison.OrdinalIgnoreCase))
            {
                keepTop = double.Parse(value, CultureInfo.InvariantCulture);
                continue;
            }
            string json = IsJson(value) ? value : JsonSerializer.Serialize(value);
            Set(node, key, json, $"{where}: axis");
            // A registered model name only counts when no inline model config overrides it.
            if (string.Equals(key, "model", StringComparison.OrdinalIgnoreCase)) node["modelConfig"] = null;
        }
        Set(node, "training.seed", seed.ToString(CultureInfo.InvariantCulture), $"{where}: seed");
        switch (regime)
        {
            case "one-epoch":
                Set(node, "training.epochs", "1", where);
                Set(node, "training.budgetGflops", "null", where);
                break;
            case "fixed-epochs":
                Set(node, "training.epochs", section.Budget.Epochs!.Value.ToString("R", CultureInfo.InvariantCulture), where);
                Set(node, "training.budgetGflops", "null", where);
                break;
            case "fixed-gflops":
                Set(node, "training.budgetGflops", section.Budget.Gflops!.Value.ToString("R", CultureInfo.InvariantCulture), where);
                Set(node, "training.epochs", "null", where);
                break;
            case "fixed-samples":
                Set(node, "training.samplesSeen", section.Budget.SamplesSeen!.Value.ToString(CultureInfo.InvariantCulture), where);
                Set(node, "training.epochs", "null", where);
                Set(node, "training.budgetGflops", "null", where);
                break;
        }
        var config = ConfigJson.Parse<RunConfig>(node.ToJsonString(), $"{where}, grid point {string.Join(", ", point.Select(p => $"{p.Key}={p.Value}"))}");
        var axes = point.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return new PlannedRun(RunId(point.Select(p => (p.Key, p.Value)), seed), axes, seed, config, keepTop);
    }

    /// <summary>Sets a config key as <c>--set</c> does, with errors that name the study's axis rather than --set.</summary>
    private static void Set(JsonObject node, string key, string json, string origin)
    {
        try
        {
            ConfigSettings.Assign(node, key, json);
        }
        catch (ConfigException ex) when (ex.Message.StartsWith("--set ", StringComparison.Ordinal))
        {
            throw new ConfigException(origin + " " + ex.Message["--set ".Length..], ex);
        }
    }

    /// <summary>Whether <paramref name="value"/> is JSON as written (a number, true, null, a list) rather than a bare string.</summary>
    private static bool IsJson(string value)
    {
        try
        {
            using var _ = JsonDocument.Parse(value);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>
    /// The run id of a grid point: <c>name-value</c> per axis (the key's last part), then <c>seed-N</c>, joined by
    /// underscores, with characters that are unsafe in a folder name replaced by dashes.
    /// </summary>
    public static string RunId(IEnumerable<(string Key, string Value)> point, int seed)
    {
        var parts = point.Select(p => $"{p.Key.Split('.')[^1]}-{Safe(p.Value)}").Append($"seed-{seed}");
        return string.Join('_', parts);
    }

    private static string Safe(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (char c in value) text.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' ? c : '-');
        return text.Length == 0 ? "empty" : text.ToString();
    }
}
