namespace ClipLab.Evaluation.Probes;

/// <summary>
/// The linear probe's L2 search: a log-spaced grid, one value per decade from 10⁻⁶ to 10¹ (the span where
/// standardised features go from unregularised to nearly constant predictions), then the two half-decade
/// neighbours of the best value — a coarse-to-fine search like CLIP_benchmark's, with far fewer fits.
/// </summary>
public static class L2Sweep
{
    /// <summary>The coarse grid, strongest first (fits are warm-started from the previous, more regularised one, which converges faster).</summary>
    public static IReadOnlyList<double> CoarseGrid { get; } = Enumerable.Range(-6, 8).Reverse().Select(p => Math.Pow(10, p)).ToArray();

    /// <summary>The refinement around <paramref name="best"/>: best·10^±0.5.</summary>
    public static IReadOnlyList<double> Refinement(double best) => [best * Math.Sqrt(10), best / Math.Sqrt(10)];

    /// <summary>
    /// The point with the highest validation accuracy; among equal accuracies the strongest regularisation,
    /// the simpler model that generalises at least as well.
    /// </summary>
    /// <exception cref="ArgumentException">No points.</exception>
    public static L2SweepPoint Best(IReadOnlyCollection<L2SweepPoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new ArgumentException("the sweep has no points", nameof(points));
        return points.OrderByDescending(p => p.ValidationTop1).ThenByDescending(p => p.L2).First();
    }
}
