namespace ClipLab.Data.Quality;

/// <summary>The outcome of <see cref="PairScorer.Score"/>.</summary>
/// <param name="OutputPath">Full path of the score file.</param>
/// <param name="Scores">The score file's content.</param>
/// <param name="ScoredThisRun">Pairs encoded by this run (0 when the file was already complete).</param>
/// <param name="Parts">Parts in the plan.</param>
/// <param name="PartsResumed">Parts taken from an earlier, interrupted run.</param>
/// <param name="Skipped">Samples skipped over all parts, by reason (<see cref="BadSampleCounter.Describe"/>).</param>
/// <param name="AlreadyComplete">True when the output already held the scores of this identity and nothing was done.</param>
/// <param name="Elapsed">Wall time of this run.</param>
public sealed record ScoringSummary(string OutputPath, ScoreFile Scores, long ScoredThisRun, int Parts, int PartsResumed,
    IReadOnlyDictionary<string, long> Skipped, bool AlreadyComplete, TimeSpan Elapsed)
{
    /// <summary>"corrupt image: 3, empty caption: 1", or "none".</summary>
    public string SkippedSummary => Skipped.Count == 0 ? "none" : string.Join(", ", Skipped.Select(kv => $"{kv.Key}: {kv.Value:N0}"));
}
