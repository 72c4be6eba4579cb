using System.Net;
using System.Text;

namespace ClipLab.Studies.Reporting;

/// <summary>
/// Renders study reports as one self-contained HTML page: figures inline as SVG data URIs (each keeps its own
/// ids, so several on one page do not collide), styles in the page, nothing fetched from elsewhere.
/// </summary>
public static class HtmlStudyReport
{
    /// <summary>The HTML page for <paramref name="reports"/>.</summary>
    public static string Render(IReadOnlyList<StudyReport> reports, string source)
    {
        var h = new StringBuilder();
        h.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        h.AppendLine($"<title>{E("ClipLab study report: " + string.Join(", ", reports.Select(r => r.Study).Distinct()))}</title>");
        h.AppendLine("<style>body{font-family:sans-serif;margin:2em;max-width:1400px;color:#222}table{border-collapse:collapse;margin:1em 0;font-size:.85em}" +
                     "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left}th{background:#eee}.holds{color:#17692d;font-weight:bold}" +
                     ".does-not-hold{color:#a01818;font-weight:bold}.inconclusive{color:#8a6100;font-weight:bold}figure{margin:1em 0}" +
                     "figure img{max-width:100%;border:1px solid #ddd}blockquote{border-left:4px solid #ccc;margin:.5em 0;padding-left:1em;color:#555}" +
                     ".scroll{overflow-x:auto}</style></head><body>");
        h.AppendLine("<h1>ClipLab study report</h1>");
        h.AppendLine($"<p>Results read from <code>{E(source)}</code>. Metrics are in %; spreads are over seeds (mean ± sample standard deviation, min–max).</p>");
        foreach (var r in reports)
        {
            h.AppendLine($"<h2>{E(StudyReportText.Title(r))}</h2><p>{E(StudyReportText.Summary(r))}</p>");
            h.AppendLine("<h3>Verdicts on the paper's claims</h3>");
            if (r.Verdicts.Count == 0) h.AppendLine("<p>This study tests none of the paper's listed claims.</p>");
            else
            {
                h.AppendLine($"<p>{E(StudyReportText.VerdictRule)}</p>");
                h.AppendLine("<table><tr><th>claim</th><th>verdict</th><th>scale</th><th>condition</th><th>metric</th><th>outcome</th><th>numbers</th></tr>");
                foreach (var v in r.Verdicts)
                {
                    for (int i = 0; i < v.Conditions.Count; i++)
                    {
                        var c = v.Conditions[i];
                        h.Append("<tr>");
                        if (i == 0)
                            h.Append($"<td rowspan=\"{v.Conditions.Count}\"><b>{E(v.Claim.Id)}</b><blockquote>{E(v.Claim.Statement)}</blockquote>" +
                                     (v.Claim.NotTestedBecause is { } why ? $"<small>Not tested: {E(why)}.</small>" : "") + "</td>" +
                                     $"<td rowspan=\"{v.Conditions.Count}\">{Verdict(v.Outcome)}</td><td rowspan=\"{v.Conditions.Count}\">{E(v.Scale)}</td>");
                        h.Append($"<td>{E(c.Condition.Description)}</td><td><code>{E(c.Metric ?? "none")}</code></td><td>{Verdict(c.Outcome)}</td><td>{E(c.Reason)}");
                        if (c.Comparisons.Count > 1)
                            h.Append($"<details><summary>{c.Comparisons.Count} comparisons</summary><ul>" +
                                     string.Concat(c.Comparisons.Select(x => $"<li>{E(x.Group.Length > 0 ? x.Group + ": " : "")}{Verdict(x.Outcome)} — {E(x.Reason)}</li>")) +
                                     "</ul></details>");
                        h.AppendLine("</td></tr>");
                    }
                }
                h.AppendLine("</table>");
            }
            h.AppendLine("<h3>Figures</h3><p>Markers are the mean over seeds; bars span the seeds' minimum to maximum.</p>");
            foreach (var f in r.Figures)
                h.AppendLine($"<figure><img alt=\"{E(f.Title)}\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(f.Svg))}\">" +
                             $"<figcaption>{E(f.Title)}</figcaption></figure>");
            h.AppendLine("<h3>Results per axis value</h3>");
            Table(h, StudyReportText.AggregateTable(r));
            h.AppendLine("<h3>Runs</h3>");
            Table(h, StudyReportText.RunTable(r));
        }
        h.AppendLine("</body></html>");
        return h.ToString();
    }

    private static string Verdict(Verdict v)
    {
        string text = VerdictText.Of(v);
        return $"<span class=\"{text.Replace(' ', '-')}\">{E(text)}</span>";
    }

    private static void Table(StringBuilder h, (IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) table)
    {
        h.Append("<div class=\"scroll\"><table><tr>").Append(string.Concat(table.Header.Select(c => $"<th>{E(c)}</th>"))).AppendLine("</tr>");
        foreach (var row in table.Rows) h.Append("<tr>").Append(string.Concat(row.Select(c => $"<td>{E(c)}</td>"))).AppendLine("</tr>");
        h.AppendLine("</table></div>");
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);
}
