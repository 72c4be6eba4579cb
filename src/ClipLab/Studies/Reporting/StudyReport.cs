namespace ClipLab.Studies.Reporting;

/// <summary>
/// Everything a report shows for one study at one scale: its runs, the metrics reported, the figures and the
/// verdicts on the paper's claims the study tests.
/// </summary>
/// <param name="Study">The study's name.</param>
/// <param name="Scale">The scale it ran at.</param>
/// <param name="Runs">Its runs, in recorded order.</param>
/// <param name="Metrics">The metrics shown in figures and tables.</param>
/// <param name="Figures">The figures.</param>
/// <param name="Verdicts">The verdicts on the claims this study tests.</param>
public sealed record StudyReport(
    string Study,
    string Scale,
    IReadOnlyList<StudyRunRecord> Runs,
    IReadOnlyList<ReportedMetric> Metrics,
    IReadOnlyList<StudyFigure> Figures,
    IReadOnlyList<ClaimVerdict> Verdicts)
{
    /// <summary>One report per study and scale in <paramref name="runs"/>, judged against <paramref name="claims"/>.</summary>
    public static IReadOnlyList<StudyReport> Build(IReadOnlyList<StudyRunRecord> runs, IReadOnlyList<PaperClaim> claims)
    {
        if (runs.Count == 0) throw new InvalidDataException("The study has no finished runs yet: there is nothing to report.");
        return runs
            .GroupBy(r => (r.Study, r.Scale))
            .OrderBy(g => g.Key.Study, StringComparer.Ordinal).ThenBy(g => g.Key.Scale, StringComparer.Ordinal)
            .Select(g =>
            {
                var ofStudy = g.ToList();
                return new StudyReport(g.Key.Study, g.Key.Scale, ofStudy,
                    ReportedMetric.Select(ofStudy.SelectMany(r => r.Metrics.Keys)),
                    StudyFigures.Draw(g.Key.Study, g.Key.Scale, ofStudy),
                    ClaimJudge.Judge(claims, ofStudy));
            })
            .ToList();
    }
}
