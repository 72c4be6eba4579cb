using System.Globalization;
using ScottPlot;

namespace ClipLab.Studies.Reporting;

/// <summary>
/// Draws a study's figures with ScottPlot: each reported metric against samples seen and against total training
/// GFLOPs (log x), one line per value of the study's non-budget axes; markers are the mean over seeds and error
/// bars span the seeds' minimum to maximum.
/// </summary>
public static class StudyFigures
{
    /// <summary>Figure width in pixels.</summary>
    public const int Width = 900;
    /// <summary>Figure height in pixels.</summary>
    public const int Height = 520;

    /// <summary>The x-axis label of samples-seen figures.</summary>
    public const string SamplesSeenLabel = "samples seen";
    /// <summary>The x-axis label of compute figures.</summary>
    public const string ComputeLabel = "training compute (GFLOPs, log scale)";
    /// <summary>The legend entry for the error bars.</summary>
    public const string SpreadLegend = "bars: min–max over seeds";

    /// <summary>Every figure of <paramref name="runs"/> (one study at one scale), metric by metric.</summary>
    public static IReadOnlyList<StudyFigure> Draw(string study, string scale, IReadOnlyList<StudyRunRecord> runs)
    {
        var figures = new List<StudyFigure>();
        foreach (var metric in ReportedMetric.Select(runs.SelectMany(r => r.Metrics.Keys)))
        {
            var lines = StudyLine.Of(runs, metric.Name);
            if (lines.Count == 0) continue;
            foreach (var x in new[] { FigureX.SamplesSeen, FigureX.TotalGflops })
                figures.Add(DrawOne(study, scale, metric, lines, x));
        }
        return figures;
    }

    /// <summary>One figure of <paramref name="metric"/> over <paramref name="lines"/>.</summary>
    public static StudyFigure DrawOne(string study, string scale, ReportedMetric metric, IReadOnlyList<StudyLine> lines, FigureX x)
    {
        var xsAll = lines.SelectMany(l => l.Points).Select(p => XOf(p, x)).Where(v => v > 0).ToList();
        // Compute always on a log axis; samples seen too when it spans a decade or more (the paper's figures do).
        bool logX = x == FigureX.TotalGflops || (xsAll.Count > 0 && xsAll.Max() / xsAll.Min() >= 10);
        var plot = new Plot();
        ScottPlot.Plottables.ErrorBar? lastSpread = null;
        foreach (var line in lines)
        {
            var points = line.Points.Where(p => !logX || XOf(p, x) > 0).ToList();
            if (points.Count == 0) continue;
            double[] xs = points.Select(p => logX ? Math.Log10(XOf(p, x)) : XOf(p, x)).ToArray();
            double[] ys = points.Select(p => p.Spread.Mean * 100).ToArray();
            int seeds = points.Max(p => p.Spread.Seeds);
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = $"{line.Label} ({seeds} seed{(seeds == 1 ? "" : "s")})";
            scatter.MarkerSize = 7;
            scatter.LineWidth = 2;
            var bars = plot.Add.ErrorBar(xs, ys, points.Select(p => (p.Spread.Max - p.Spread.Mean) * 100).ToArray());
            bars.YErrorNegative = points.Select(p => (p.Spread.Mean - p.Spread.Min) * 100).ToArray();
            bars.Color = scatter.Color;
            if (points.Any(p => p.Spread.Seeds > 1)) lastSpread = bars;
        }
        // One legend entry explains every line's bars; the last bars added put it at the legend's end.
        if (lastSpread is not null) lastSpread.LegendText = SpreadLegend;
        string xName = x == FigureX.SamplesSeen ? "samples seen" : "training compute";
        string title = $"{study} ({scale}): {metric.Benchmark} {metric.Label.Replace(" (%)", "", StringComparison.Ordinal)} vs {xName}";
        plot.Title(title);
        plot.XLabel(x == FigureX.SamplesSeen ? (logX ? SamplesSeenLabel + " (log scale)" : SamplesSeenLabel) : ComputeLabel);
        plot.YLabel(metric.Label);
        plot.Axes.Bottom.TickGenerator = logX && xsAll.Count > 0
            ? LogTicks(xsAll.Min(), xsAll.Max())
            : new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Compact };
        plot.ShowLegend(Edge.Right);
        string name = $"{Slug(study)}-{Slug(metric.Name)}-vs-{(x == FigureX.SamplesSeen ? "samples" : "gflops")}";
        string svg = plot.GetSvgXml(Width, Height);
        byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
        return new StudyFigure(name, title, metric, x, svg, png);
    }

    /// <summary>
    /// Ticks of a log axis at round values, as (value, label, major): powers of ten, and 3× or 2× and 5× them when the
    /// data span too few decades for powers alone to give three ticks; minor ticks at the other whole multiples.
    /// </summary>
    public static IReadOnlyList<(double Value, string Label, bool Major)> LogTickValues(double min, double max)
    {
        var ticks = new List<(double, string, bool)>();
        int low = (int)Math.Floor(Math.Log10(min)), high = (int)Math.Ceiling(Math.Log10(max));
        int[] majors = high - low >= 3 ? [1] : high - low >= 2 ? [1, 3] : [1, 2, 5];
        // Ticks a little outside the data still show, since the axis is padded.
        double from = Math.Log10(min) - 0.15, to = Math.Log10(max) + 0.15;
        for (int e = low - 1; e <= high; e++)
        {
            for (int m = 1; m <= 9; m++)
            {
                double value = m * Math.Pow(10, e), position = Math.Log10(value);
                if (position < from || position > to) continue;
                bool major = majors.Contains(m);
                ticks.Add((value, major ? Compact(value) : "", major));
            }
        }
        return ticks;
    }

    private static ScottPlot.TickGenerators.NumericManual LogTicks(double min, double max)
    {
        var generator = new ScottPlot.TickGenerators.NumericManual();
        foreach (var (value, label, major) in LogTickValues(min, max))
        {
            if (major) generator.AddMajor(Math.Log10(value), label);
            else generator.AddMinor(Math.Log10(value));
        }
        return generator;
    }

    /// <summary>A number in a few characters: 12k, 3.4M, 2.1G (SI prefixes), or plain below 1000.</summary>
    public static string Compact(double value)
    {
        double a = Math.Abs(value);
        (double div, string suffix) = a >= 1e12 ? (1e12, "T") : a >= 1e9 ? (1e9, "G") : a >= 1e6 ? (1e6, "M") : a >= 1e3 ? (1e3, "k") : (1, "");
        return (value / div).ToString(a >= 1e3 ? "0.##" : "0.###", CultureInfo.InvariantCulture) + suffix;
    }

    private static double XOf(StudyPoint p, FigureX x) => x == FigureX.SamplesSeen ? p.SamplesSeen : p.TotalGflops;

    private static string Slug(string text) =>
        new string(text.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray()).Trim('-');
}
