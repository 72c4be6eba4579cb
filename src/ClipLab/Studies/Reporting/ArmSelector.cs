using System.Globalization;

namespace ClipLab.Studies.Reporting;

/// <summary>
/// Picks runs by the value of one key: an axis key of the study (e.g. <c>data.keepTop</c>, <c>model</c>), a
/// quantity every run has (<see cref="SamplesSeenKey"/>, <see cref="EpochsKey"/>, <see cref="UniquePairsKey"/>), or a
/// key of the runs' resolved configs (<c>training.strategy</c>).
/// </summary>
/// <param name="Key">The axis key or run quantity.</param>
/// <param name="Select">Which value: a literal value (<c>0.4</c>, <c>slip</c>; numbers compare as numbers), <c>smallest</c>,
/// <c>largest</c>, <c>second-largest</c> (numeric values by value; other values, such as model names, by the
/// runs' training GFLOPs per sample), <c>contains:TEXT</c> (the one value containing TEXT, case-insensitive), or
/// <c>any</c> or <c>absent</c> (runs that have, or lack, the key; only in <see cref="ClaimCondition.Where"/>), or
/// <c>others</c> (every value but the compared arm's; only as the arm compared against).</param>
public sealed record ArmSelector(string Key, string Select)
{
    /// <summary>The runs' samples seen.</summary>
    public const string SamplesSeenKey = "samplesSeen";
    /// <summary>The runs' passes over their training data: to 1 decimal from 1 up (0.998 is 1), else to 2 significant digits.</summary>
    public const string EpochsKey = "epochs";
    /// <summary>The runs' distinct training pairs.</summary>
    public const string UniquePairsKey = "uniquePairs";

    /// <summary>The selector that stands for every other value.</summary>
    public const string Others = "others";
    /// <summary>The filter that keeps every run having the key.</summary>
    public const string Any = "any";
    /// <summary>The filter that keeps every run lacking the key.</summary>
    public const string Absent = "absent";

    /// <summary>
    /// This key's value for <paramref name="run"/>: a run quantity, the run's axis of that name, or else the key's value in
    /// the run's resolved config (so <c>training.strategy</c> is found where a compound axis named <c>strategy</c> set it,
    /// and <c>training.budgetGflops</c> where a budget regime did); null when the run has none of them.
    /// </summary>
    public static string? ValueOf(StudyRunRecord run, string key) => key switch
    {
        SamplesSeenKey => run.SamplesSeen.ToString(CultureInfo.InvariantCulture),
        EpochsKey => (run.Epochs >= 0.95 ? Math.Round(run.Epochs, 1) : run.Epochs).ToString(run.Epochs >= 0.95 ? "0.#" : "G2", CultureInfo.InvariantCulture),
        UniquePairsKey => run.UniquePairs.ToString(CultureInfo.InvariantCulture),
        _ => run.Axes.TryGetValue(key, out var v) ? v : ResolvedConfigValue.Of(run, key),
    };

    /// <summary>
    /// The value of <see cref="Key"/> this selector picks among <paramref name="runs"/>, or null with the reason
    /// when it picks none or more than one. Not for <see cref="Others"/>.
    /// </summary>
    public (string? Value, string? Problem) Resolve(IReadOnlyList<StudyRunRecord> runs)
    {
        var present = Order(runs, Key);
        if (present.Count == 0) return (null, $"no run has {Key}");
        string select = Select.Trim();
        switch (select.ToLowerInvariant())
        {
            case "smallest": return (Ordered(runs, present)[0], null);
            case "largest": return (Ordered(runs, present)[^1], null);
            case "second-largest":
                var ordered = Ordered(runs, present);
                return ordered.Count >= 2 ? (ordered[^2], null) : (null, $"{Key} has only one value ({ordered[0]})");
        }
        if (select.StartsWith("contains:", StringComparison.OrdinalIgnoreCase))
        {
            string text = select["contains:".Length..];
            var matches = present.Where(v => v.Contains(text, StringComparison.OrdinalIgnoreCase)).ToList();
            return matches.Count switch
            {
                1 => (matches[0], null),
                0 => (null, $"no {Key} value contains \"{text}\" (values: {string.Join(", ", present)})"),
                _ => (null, $"several {Key} values contain \"{text}\" ({string.Join(", ", matches)})"),
            };
        }
        var equal = present.FirstOrDefault(v => SameValue(v, select));
        return equal is not null ? (equal, null) : (null, $"no run has {Key} = {select} (values: {string.Join(", ", present)})");
    }

    /// <summary>True when two values are equal: as numbers when both parse, otherwise as text (case-insensitive).</summary>
    public static bool SameValue(string a, string b) =>
        TryNumber(a, out double x) && TryNumber(b, out double y) ? Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(x)) : string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses a value as an invariant-culture number.</summary>
    public static bool TryNumber(string value, out double number) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out number);

    /// <summary>Orders the values of <paramref name="key"/>: numbers by value, anything else by the runs' mean GFLOPs per sample, then by name.</summary>
    public static List<string> Order(IReadOnlyList<StudyRunRecord> runs, string key)
    {
        var present = runs.Select(r => ValueOf(r, key)).OfType<string>().Distinct().ToList();
        return new ArmSelector(key, "smallest").Ordered(runs, present);
    }

    private List<string> Ordered(IReadOnlyList<StudyRunRecord> runs, List<string> present)
    {
        if (present.All(v => TryNumber(v, out _)))
            return present.OrderBy(v => double.Parse(v, CultureInfo.InvariantCulture)).ToList();
        return present
            .OrderBy(v => runs.Where(r => ValueOf(r, Key) == v).Average(r => r.GflopsPerSample))
            .ThenBy(v => v, StringComparer.Ordinal).ToList();
    }
}
