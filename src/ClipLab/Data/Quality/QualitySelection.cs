using System.Globalization;

namespace ClipLab.Data.Quality;

/// <summary>
/// Which rows of a score table to keep: the top fraction by score (the paper's top-x% subsets), or every row at or
/// above a threshold. Rows are listed in table order, which is the data's stored order.
/// </summary>
/// <param name="Rows">Indices of the kept rows, ascending.</param>
/// <param name="Total">Rows in the table.</param>
/// <param name="Cut">The lowest kept score (top mode), or the threshold (threshold mode); NaN when the top mode keeps nothing.</param>
/// <param name="Rule">The rule in words, e.g. "top 40% (0.4)" or "score ≥ 0.25".</param>
/// <param name="TiedLeftOut">Rows with exactly the cut score that the top mode left out (ties go to the earlier row).</param>
public sealed record QualitySelection(IReadOnlyList<int> Rows, int Total, float Cut, string Rule, int TiedLeftOut = 0)
{
    /// <summary>
    /// Keeps round(<paramref name="fraction"/> × rows) rows (halves round up) with the highest scores; equal scores
    /// go to the row that comes first, so the result is the same on every run. NaN scores rank below all others.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1]; the message shows the intended form.</exception>
    public static QualitySelection KeepTop(IReadOnlyList<ScoredPair> pairs, double fraction)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        CheckFraction(fraction);
        int keep = CountForFraction(pairs.Count, fraction);
        // Sorted by score descending, then by row: a total order, so the kept set never depends on the sort algorithm.
        var order = Enumerable.Range(0, pairs.Count)
            .OrderByDescending(i => float.IsNaN(pairs[i].Score) ? float.NegativeInfinity : pairs[i].Score)
            .ThenBy(i => float.IsNaN(pairs[i].Score) ? 1 : 0)
            .ThenBy(i => i)
            .ToList();
        var kept = order.Take(keep).Order().ToList();
        float cut = keep == 0 ? float.NaN : pairs[order[keep - 1]].Score;
        int tied = keep == 0 ? 0 : order.Skip(keep).Count(i => pairs[i].Score.Equals(cut));
        string percent = (100 * fraction).ToString("0.##", CultureInfo.InvariantCulture);
        return new QualitySelection(kept, pairs.Count, cut, $"top {percent}% ({fraction.ToString(CultureInfo.InvariantCulture)})", tied);
    }

    /// <summary>Keeps every row whose score is at least <paramref name="minScore"/> (NaN scores never are).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is NaN.</exception>
    public static QualitySelection KeepAtLeast(IReadOnlyList<ScoredPair> pairs, float minScore)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (float.IsNaN(minScore)) throw new ArgumentOutOfRangeException(null, "the minimum score must be a number (cosine similarities lie in [-1, 1])");
        var kept = Enumerable.Range(0, pairs.Count).Where(i => pairs[i].Score >= minScore).ToList();
        return new QualitySelection(kept, pairs.Count, minScore, $"score ≥ {minScore.ToString("G6", CultureInfo.InvariantCulture)}");
    }

    /// <summary>Rows the top mode keeps of <paramref name="total"/>: round(fraction × total), halves up.</summary>
    public static int CountForFraction(int total, double fraction)
    {
        CheckFraction(fraction);
        // decimal: 0.3 × 10 must be exactly 3, not 3.0000000000000004.
        return (int)Math.Round((decimal)fraction * total, MidpointRounding.AwayFromZero);
    }

    private static void CheckFraction(double fraction)
    {
        if (!(fraction > 0 && fraction <= 1))
        {
            string hint = fraction > 1 && fraction <= 100
                ? $" For the top {fraction.ToString(CultureInfo.InvariantCulture)}% give {(fraction / 100).ToString(CultureInfo.InvariantCulture)}."
                : "";
            // No parameter name: the message reaches command-line users as it is.
            throw new ArgumentOutOfRangeException(null,
                $"the fraction to keep must be in (0, 1] (0.4 keeps the top 40%), got {fraction.ToString(CultureInfo.InvariantCulture)}.{hint}");
        }
    }
}
