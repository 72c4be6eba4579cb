namespace ClipLab.Data.Quality;

/// <summary>Where a <see cref="PairScorer"/> run is, reported after every batch and every part.</summary>
/// <param name="PartsDone">Parts finished, including those resumed from an earlier run.</param>
/// <param name="PartsTotal">Parts in the plan.</param>
/// <param name="Processed">
/// Samples dealt with: those of finished parts (as listed, or as scored when no count is listed) plus those scored
/// so far in the current part. Reaches <see cref="Expected"/> at the end.
/// </param>
/// <param name="Expected">Samples listed over all parts, or null when unknown.</param>
/// <param name="ScoredThisRun">Pairs scored by this run (not resumed).</param>
/// <param name="Part">Name of the part being scored.</param>
public readonly record struct ScoringProgress(int PartsDone, int PartsTotal, long Processed, long? Expected, long ScoredThisRun, string Part);
