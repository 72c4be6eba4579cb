namespace ClipLab.Studies.Reporting;

/// <summary>The files a study report was written to.</summary>
/// <param name="Html">The self-contained HTML page.</param>
/// <param name="Markdown">The Markdown page.</param>
/// <param name="Figures">Every figure file (SVG and PNG).</param>
/// <param name="Reports">What was reported, study by study.</param>
public sealed record StudyReportFiles(string Html, string Markdown, IReadOnlyList<string> Figures, IReadOnlyList<StudyReport> Reports);

/// <summary>
/// Writes a study folder's report: <c>report.html</c>, <c>report.md</c> and <c>figures/*.svg|png</c> in the output
/// folder (by default <c>DIR/report</c>).
/// </summary>
public static class StudyReportWriter
{
    /// <summary>The default output folder's name inside the study folder.</summary>
    public const string DefaultFolder = "report";
    /// <summary>The figures' folder inside the output folder.</summary>
    public const string FigureFolder = "figures";

    /// <summary>Reads the runs of <paramref name="studyDirectory"/> through <paramref name="results"/>, judges
    /// <paramref name="claims"/> and writes the report to <paramref name="outputDirectory"/> (null: <c>DIR/report</c>).</summary>
    public static StudyReportFiles Write(IStudyResults results, string studyDirectory, IReadOnlyList<PaperClaim> claims, string? outputDirectory = null)
    {
        if (!Directory.Exists(studyDirectory))
            throw new DirectoryNotFoundException($"Study folder {studyDirectory} does not exist; give the --out folder of `cliplab study run`.");
        var runs = results.Load(studyDirectory);
        var reports = StudyReport.Build(runs, claims);
        string output = Path.GetFullPath(outputDirectory ?? Path.Combine(studyDirectory, DefaultFolder));
        string figures = Path.Combine(output, FigureFolder);
        Directory.CreateDirectory(figures);
        var figureFiles = new List<string>();
        foreach (var f in reports.SelectMany(r => r.Figures))
        {
            string svg = Path.Combine(figures, f.Name + ".svg"), png = Path.Combine(figures, f.Name + ".png");
            File.WriteAllText(svg, f.Svg);
            File.WriteAllBytes(png, f.Png);
            figureFiles.AddRange([svg, png]);
        }
        string source = Path.GetFullPath(studyDirectory);
        string html = Path.Combine(output, "report.html"), markdown = Path.Combine(output, "report.md");
        File.WriteAllText(html, HtmlStudyReport.Render(reports, source));
        File.WriteAllText(markdown, MarkdownStudyReport.Render(reports, source, FigureFolder));
        return new StudyReportFiles(html, markdown, figureFiles, reports);
    }
}
