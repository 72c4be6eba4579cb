using System.Globalization;

namespace ClipLab.Studies.Reporting;

/// <summary>The words and numbers the Markdown and HTML reports share, so both say the same.</summary>
internal static class StudyReportText
{
    public const string VerdictRule =
        "Each condition compares the seeds of two arms in runs that agree on every other setting. An arm with fewer than " +
        "2 seeds gives inconclusive. Otherwise Welch's two-sided t-test at 5% decides whether the effect (difference of " +
        "means, in percentage points) is separable from the seed spread: a claimed gain holds when it is separable and " +
        "points the claimed way, does not hold when it is separable and points the other way, and is inconclusive otherwise. " +
        "A claim of no gain does not hold when a gain is separable, and holds only with at least 3 seeds per arm. " +
        "A claim holds when all its conditions hold and does not hold when any does not.";

    public static string Title(StudyReport r) => $"Study {r.Study} ({r.Scale} scale)";

    public static string Summary(StudyReport r)
    {
        int seeds = r.Runs.Select(x => x.Seed).Distinct().Count();
        string devices = string.Join(", ", r.Runs.Select(x => x.Device).Distinct().Order(StringComparer.Ordinal));
        return $"{r.Runs.Count} finished runs, {seeds} distinct seed{(seeds == 1 ? "" : "s")}, " +
               $"{Number(r.Runs.Sum(x => x.WallSeconds) / 60, "0.#")} run-minutes on {devices}, " +
               $"{Number(r.Runs.Sum(x => x.TotalGflops), "N0")} training GFLOPs in all.";
    }

    public static string Percent(double fraction) => Number(fraction * 100, "0.00");

    public static string Spread(SeedSpread s) =>
        s.Seeds == 1 ? $"{Percent(s.Mean)} (1 seed)" : $"{Percent(s.Mean)} ± {Percent(s.StdDev)} ({Percent(s.Min)}–{Percent(s.Max)}, {s.Seeds} seeds)";

    public static string Number(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> AxisKeys(StudyReport r) =>
        r.Runs.SelectMany(x => x.Axes.Keys).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The run table: header and one row per run, metrics in % .</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) RunTable(StudyReport r)
    {
        var axes = AxisKeys(r);
        var header = new List<string> { "run" };
        header.AddRange(axes);
        header.AddRange(["seed", "samples seen", "unique pairs", "epochs", "GFLOPs/sample", "total GFLOPs", "wall (s)", "device"]);
        header.AddRange(r.Metrics.Select(m => $"{m.Name} (%)"));
        var rows = r.Runs.Select(run =>
        {
            var row = new List<string> { run.RunId };
            row.AddRange(axes.Select(a => run.Axes.TryGetValue(a, out var v) ? v : "–"));
            row.AddRange([
                run.Seed.ToString(CultureInfo.InvariantCulture), Number(run.SamplesSeen, "N0"), Number(run.UniquePairs, "N0"),
                Number(run.Epochs, "0.##"), Number(run.GflopsPerSample, "G4"), Number(run.TotalGflops, "N0"),
                Number(run.WallSeconds, "0"), run.Device,
            ]);
            row.AddRange(r.Metrics.Select(m => run.Metrics.TryGetValue(m.Name, out var v) ? Percent(v) : "–"));
            return (IReadOnlyList<string>)row;
        }).ToList();
        return (header, rows);
    }

    /// <summary>The aggregated table: one row per line (axis values) and samples seen, each metric over its seeds.</summary>
    public static (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) AggregateTable(StudyReport r)
    {
        var header = new List<string> { "axis values", "samples seen", "total GFLOPs", "seeds" };
        header.AddRange(r.Metrics.Select(m => $"{m.Name} (%, mean ± sd)"));
        var lineKeys = r.Runs.SelectMany(x => x.Axes.Keys).Distinct().Where(k => !StudyLine.BudgetAxes.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var rows = new List<IReadOnlyList<string>>();
        // Lines in the figures' order; a row per samples-seen budget.
        var order = r.Metrics.Count > 0 ? StudyLine.Of(r.Runs, r.Metrics[0].Name).Select(l => l.Label).ToList() : [];
        foreach (var line in r.Runs.GroupBy(x => StudyLine.LabelOf(x, lineKeys)).OrderBy(g => order.IndexOf(g.Key) is var i && i < 0 ? int.MaxValue : i))
        {
            foreach (var point in line.GroupBy(x => x.SamplesSeen).OrderBy(p => p.Key))
            {
                var row = new List<string> { line.Key, Number(point.Key, "N0"), Number(point.Average(x => x.TotalGflops), "N0"), point.Count().ToString(CultureInfo.InvariantCulture) };
                foreach (var m in r.Metrics)
                {
                    var values = point.Where(x => x.Metrics.ContainsKey(m.Name)).Select(x => x.Metrics[m.Name]).ToList();
                    row.Add(values.Count == 0 ? "–" : Spread(SeedSpread.Of(values)));
                }
                rows.Add(row);
            }
        }
        return (header, rows);
    }
}
