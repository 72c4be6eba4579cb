namespace ClipLab.Studies.Reporting;

/// <summary>The spread of one metric over the seeds of one arm (same settings, different seeds).</summary>
/// <param name="Mean">Mean over the seeds.</param>
/// <param name="StdDev">Sample standard deviation (n − 1); 0 for a single seed.</param>
/// <param name="Min">Smallest value.</param>
/// <param name="Max">Largest value.</param>
/// <param name="Seeds">How many values (seeds) there are.</param>
public sealed record SeedSpread(double Mean, double StdDev, double Min, double Max, int Seeds)
{
    /// <summary>The variance behind <see cref="StdDev"/>.</summary>
    public double Variance => StdDev * StdDev;

    /// <summary>The spread of <paramref name="values"/>; at least one value.</summary>
    public static SeedSpread Of(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0) throw new ArgumentException("A seed spread needs at least one value.", nameof(values));
        double mean = list.Average();
        double variance = list.Count > 1 ? list.Sum(v => (v - mean) * (v - mean)) / (list.Count - 1) : 0;
        return new SeedSpread(mean, Math.Sqrt(variance), list.Min(), list.Max(), list.Count);
    }
}
