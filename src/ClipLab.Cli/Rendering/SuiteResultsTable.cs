using ClipLab.Evaluation.Suites;
using Spectre.Console;

namespace ClipLab.Cli.Rendering;

/// <summary>Renders a <see cref="SuiteReport"/> as console tables: classification (one row per benchmark and shifted variant) and retrieval.</summary>
public static class SuiteResultsTable
{
    /// <summary>Prints the report.</summary>
    public static void Show(SuiteReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var classification = report.Benchmarks.Where(b => b.Value.Keys.Any(t => t != "retrieval")).ToList();
        if (classification.Count > 0)
        {
            var shots = classification.SelectMany(b => b.Value.Keys).Where(t => t.StartsWith("fewshot_", StringComparison.Ordinal))
                .Distinct().OrderBy(t => int.Parse(t["fewshot_".Length..])).ToList();
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Classification[/] (top-1 unless noted; {Markup.Escape(report.Suite)} suite)")
                .AddColumn("benchmark").AddColumn(new TableColumn("zero-shot").RightAligned()).AddColumn(new TableColumn("ZS top-5").RightAligned())
                .AddColumn(new TableColumn("mean/cls").RightAligned()).AddColumn(new TableColumn("probe").RightAligned());
            if (shots.Count > 0) table.AddColumn(new TableColumn($"{string.Join("/", shots.Select(s => s["fewshot_".Length..]))}-shot").RightAligned());
            string? parent = null;
            foreach (var (name, tasks) in classification)
            {
                // Shifted variants ("fashion-mnist-sketch") are shown indented under their benchmark, to fit 80 columns.
                bool variant = parent is not null && name.StartsWith(parent + "-", StringComparison.Ordinal)
                               && report.Benchmarks.ContainsKey(parent + EvaluationSuiteRunner.ShiftedAverageSuffix);
                if (!variant) parent = name;
                string label = variant ? "  " + name[(parent!.Length + 1)..].Replace('-', ' ') : name;
                string Get(string task, string metric) => tasks.TryGetValue(task, out var m) && m.TryGetValue(metric, out double v) ? Percent(v) : "";
                var row = new List<string> { Markup.Escape(label), Get("zeroshot", "top1"), Get("zeroshot", "top5"), Get("zeroshot", "mean_per_class"), Get("linear_probe", "top1") };
                // Whole percents keep four shot counts inside 80 columns; the JSON has the exact values.
                if (shots.Count > 0) row.Add(shots.All(tasks.ContainsKey) ? string.Join("/", shots.Select(s => $"{100 * tasks[s]["top1"]:F0}")) : "");
                table.AddRow(row.ToArray());
            }
            AnsiConsole.Write(table);
        }

        var retrieval = report.Benchmarks.Where(b => b.Value.ContainsKey("retrieval")).ToList();
        if (retrieval.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Retrieval[/] (an image is a hit when any of its captions is)")
                .AddColumn("benchmark").AddColumn(new TableColumn("images/texts").RightAligned())
                .AddColumn(new TableColumn("I→T R@1/5/10").RightAligned()).AddColumn(new TableColumn("T→I R@1/5/10").RightAligned());
            foreach (var (name, tasks) in retrieval)
            {
                var m = tasks["retrieval"];
                table.AddRow(Markup.Escape(name), $"{m["images"]:N0}/{m["texts"]:N0}",
                    $"{100 * m["image_to_text_r1"]:F1}/{100 * m["image_to_text_r5"]:F1}/{100 * m["image_to_text_r10"]:F1}",
                    $"{100 * m["text_to_image_r1"]:F1}/{100 * m["text_to_image_r5"]:F1}/{100 * m["text_to_image_r10"]:F1}");
            }
            AnsiConsole.Write(table);
        }

        foreach (var (name, reason) in report.Skipped) AnsiConsole.MarkupLine($"[yellow]Skipped {Markup.Escape(name)}[/]: {Markup.Escape(reason)}");
        var t = report.Throughput;
        AnsiConsole.MarkupLine(t.ImagesEmbedded > 0
            ? $"Embedded {t.ImagesEmbedded:N0} images in {t.EmbedSeconds:F1} s ([bold]{t.ImagesPerSecond:N0} images/s[/], loading included); " +
              $"{t.ImagesFromDiskCache:N0} from the feature cache, {t.ImagesReused:N0} reused; total {report.Seconds:F1} s"
            : $"All {t.ImagesFromDiskCache:N0} image features came from the cache ({t.ImagesReused:N0} reused); total {report.Seconds:F1} s");
    }

    private static string Percent(double fraction) => $"{100 * fraction:F1}%";
}
