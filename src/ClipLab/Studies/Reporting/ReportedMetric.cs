using System.Text.RegularExpressions;

namespace ClipLab.Studies.Reporting;

/// <summary>A metric a study report plots and tabulates, with the words its axes use.</summary>
/// <param name="Name">The flattened metric name (<c>benchmark/task/metric</c>).</param>
/// <param name="Benchmark">The benchmark part of the name.</param>
/// <param name="Label">The measure with its unit, for a y axis (e.g. "zero-shot top-1 (%)").</param>
public sealed record ReportedMetric(string Name, string Benchmark, string Label)
{
    private const string ShiftedAverageSuffix = "-shifted-average";

    private static readonly (Regex Pattern, Func<Match, string> Label)[] Kinds =
    [
        (new Regex("^(?<b>[^/]+)/zeroshot/top1$"), m => m.Groups["b"].Value.EndsWith(ShiftedAverageSuffix, StringComparison.Ordinal)
            ? "zero-shot top-1, shifted-variant average (%)" : "zero-shot top-1 (%)"),
        (new Regex("^(?<b>[^/]+)/linear_probe/top1$"), _ => "linear-probe top-1 (%)"),
        (new Regex("^(?<b>[^/]+)/fewshot_(?<k>[0-9]+)/top1$"), m => $"{m.Groups["k"].Value}-shot top-1 (%)"),
        (new Regex("^(?<b>[^/]+)/retrieval/image_to_text_r1$"), _ => "image→text recall@1 (%)"),
        (new Regex("^(?<b>[^/]+)/retrieval/text_to_image_r1$"), _ => "text→image recall@1 (%)"),
    ];

    /// <summary>
    /// The metrics of <paramref name="metricNames"/> a report shows, in a fixed order: zero-shot in distribution
    /// and averaged over shifted variants, linear probe, few-shot, retrieval recall@1. Single shifted variants
    /// (a benchmark named after another one present, <c>fashion-mnist-sketch</c>) are left to the tables of the
    /// evaluation itself; so is every linear probe but the in-distribution one.
    /// </summary>
    public static IReadOnlyList<ReportedMetric> Select(IEnumerable<string> metricNames)
    {
        var names = metricNames.Distinct().Order(StringComparer.Ordinal).ToList();
        var benchmarks = names.Select(n => n.Split('/')[0]).Distinct().ToList();
        bool IsVariant(string b) => !b.EndsWith(ShiftedAverageSuffix, StringComparison.Ordinal) &&
                                    benchmarks.Any(other => other != b && b.StartsWith(other + "-", StringComparison.Ordinal));
        var chosen = new List<(int Kind, ReportedMetric Metric)>();
        foreach (var name in names)
        {
            for (int kind = 0; kind < Kinds.Length; kind++)
            {
                var match = Kinds[kind].Pattern.Match(name);
                if (!match.Success) continue;
                string benchmark = match.Groups["b"].Value;
                if (IsVariant(benchmark)) break;
                if (kind == 1 && benchmark.EndsWith(ShiftedAverageSuffix, StringComparison.Ordinal)) break;
                chosen.Add((kind, new ReportedMetric(name, benchmark, Kinds[kind].Label(match))));
                break;
            }
        }
        // Zero-shot in distribution before its shifted average; few-shot by shots.
        return chosen
            .OrderBy(c => c.Kind)
            .ThenBy(c => c.Metric.Benchmark.EndsWith(ShiftedAverageSuffix, StringComparison.Ordinal))
            .ThenBy(c => c.Metric.Benchmark, StringComparer.Ordinal)
            .ThenBy(c => Shots(c.Metric.Name))
            .Select(c => c.Metric).ToList();
    }

    private static int Shots(string name)
    {
        var m = Regex.Match(name, "/fewshot_([0-9]+)/");
        return m.Success ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
