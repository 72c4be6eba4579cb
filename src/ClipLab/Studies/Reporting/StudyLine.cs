namespace ClipLab.Studies.Reporting;

/// <summary>One point of a study line: the runs (seeds) that share every setting, at one samples-seen budget.</summary>
/// <param name="SamplesSeen">Samples seen by these runs.</param>
/// <param name="TotalGflops">Their mean training GFLOPs.</param>
/// <param name="Spread">The metric over their seeds.</param>
public sealed record StudyPoint(long SamplesSeen, double TotalGflops, SeedSpread Spread);

/// <summary>
/// The runs of a study that share every non-budget axis value (one line of a figure, one block of the
/// aggregated table), as points in samples-seen order.
/// </summary>
/// <param name="Label">The axis values, e.g. <c>data.keepTop = 0.4</c>, or <c>all runs</c> for a study without such axes.</param>
/// <param name="Points">The line's points.</param>
public sealed record StudyLine(string Label, IReadOnlyList<StudyPoint> Points)
{
    /// <summary>Axes that set the training budget: they move a run along a line, not to another line.</summary>
    public static readonly IReadOnlySet<string> BudgetAxes = new HashSet<string> { "training.samplesSeen", "training.epochs", "training.budgetGflops" };

    /// <summary>The lines of <paramref name="metric"/> over <paramref name="runs"/> (runs lacking the metric are left out).</summary>
    public static IReadOnlyList<StudyLine> Of(IReadOnlyList<StudyRunRecord> runs, string metric)
    {
        var withMetric = runs.Where(r => r.Metrics.ContainsKey(metric)).ToList();
        var lineKeys = withMetric.SelectMany(r => r.Axes.Keys).Distinct().Where(k => !BudgetAxes.Contains(k)).Order(StringComparer.Ordinal).ToList();
        // Lines follow the axis values' order (numbers by value, models by compute), first axis first.
        var orders = lineKeys.ToDictionary(k => k, k => ArmSelector.Order(withMetric, k));
        return withMetric
            .GroupBy(r => LabelOf(r, lineKeys))
            .OrderBy(g => g.First(), Comparer<StudyRunRecord>.Create((a, b) => CompareByAxes(a, b, lineKeys, orders)))
            .Select(g => new StudyLine(g.Key, g
                .GroupBy(r => r.SamplesSeen)
                .OrderBy(p => p.Key)
                .Select(p => new StudyPoint(p.Key, p.Average(r => r.TotalGflops), SeedSpread.Of(p.Select(r => r.Metrics[metric]))))
                .ToList()))
            .ToList();
    }

    /// <summary>The line label of <paramref name="run"/> given the study's line axes.</summary>
    public static string LabelOf(StudyRunRecord run, IReadOnlyList<string> lineKeys) =>
        lineKeys.Count == 0 ? "all runs" : string.Join(", ", lineKeys.Select(k => $"{k} = {ArmSelector.ValueOf(run, k) ?? "–"}"));

    private static int CompareByAxes(StudyRunRecord a, StudyRunRecord b, List<string> keys, Dictionary<string, List<string>> orders)
    {
        foreach (var key in keys)
        {
            int ia = ArmSelector.ValueOf(a, key) is { } va ? orders[key].IndexOf(va) : -1;
            int ib = ArmSelector.ValueOf(b, key) is { } vb ? orders[key].IndexOf(vb) : -1;
            if (ia != ib) return ia.CompareTo(ib);
        }
        return 0;
    }
}
