using System.Text;

namespace ClipLab.Studies.Reporting;

/// <summary>Renders study reports as Markdown, with figures linked as files beside it (<c>figures/NAME.svg</c>).</summary>
public static class MarkdownStudyReport
{
    /// <summary>The Markdown page for <paramref name="reports"/>; <paramref name="figureFolder"/> is where the figure files lie, relative to the page.</summary>
    public static string Render(IReadOnlyList<StudyReport> reports, string source, string figureFolder)
    {
        var md = new StringBuilder();
        md.AppendLine("# ClipLab study report").AppendLine();
        md.AppendLine($"Results read from `{source}`. Metrics are in %; spreads are over seeds (mean ± sample standard deviation, min–max).").AppendLine();
        foreach (var r in reports)
        {
            md.AppendLine($"## {StudyReportText.Title(r)}").AppendLine();
            md.AppendLine(StudyReportText.Summary(r)).AppendLine();

            md.AppendLine("### Verdicts on the paper's claims").AppendLine();
            if (r.Verdicts.Count == 0) md.AppendLine("This study tests none of the paper's listed claims.").AppendLine();
            else
            {
                md.AppendLine(StudyReportText.VerdictRule).AppendLine();
                md.AppendLine("| claim | verdict | scale | why |").AppendLine("|---|---|---|---|");
                foreach (var v in r.Verdicts)
                    md.AppendLine($"| {v.Claim.Id} | **{VerdictText.Of(v.Outcome)}** | {v.Scale} | {Cell(v.Conditions.FirstOrDefault(c => c.Outcome == v.Outcome)?.Reason ?? "")} |");
                md.AppendLine();
                foreach (var v in r.Verdicts)
                {
                    md.AppendLine($"#### {v.Claim.Id}: {VerdictText.Of(v.Outcome)}").AppendLine();
                    md.AppendLine($"> {v.Claim.Statement}").AppendLine();
                    foreach (var c in v.Conditions)
                    {
                        md.AppendLine($"- {c.Condition.Description} — **{VerdictText.Of(c.Outcome)}** (metric `{c.Metric ?? "none"}`): {c.Reason}");
                        foreach (var cmp in c.Comparisons.Where(_ => c.Comparisons.Count > 1))
                            md.AppendLine($"  - {(cmp.Group.Length > 0 ? cmp.Group + ": " : "")}{VerdictText.Of(cmp.Outcome)} — {cmp.Reason}");
                    }
                    if (v.Claim.NotTestedBecause is { } why) md.AppendLine($"- Not tested: {why}.");
                    md.AppendLine();
                }
            }

            md.AppendLine("### Figures").AppendLine();
            md.AppendLine("Markers are the mean over seeds; bars span the seeds' minimum to maximum. PNG versions lie beside the SVG files.").AppendLine();
            foreach (var f in r.Figures)
                md.AppendLine($"![{f.Title}]({figureFolder}/{f.Name}.svg)").AppendLine();

            md.AppendLine("### Results per axis value").AppendLine();
            Table(md, StudyReportText.AggregateTable(r));
            md.AppendLine("### Runs").AppendLine();
            Table(md, StudyReportText.RunTable(r));
        }
        return md.ToString();
    }

    private static void Table(StringBuilder md, (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) table)
    {
        md.AppendLine("| " + string.Join(" | ", table.Header.Select(Cell)) + " |");
        md.AppendLine("|" + string.Concat(table.Header.Select(_ => "---|")));
        foreach (var row in table.Rows) md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        md.AppendLine();
    }

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
