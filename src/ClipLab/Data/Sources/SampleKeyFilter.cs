namespace ClipLab.Data.Sources;

/// <summary>
/// Which samples a reader should deliver, decided by key alone before a sample is assembled or checked, so samples left
/// out are neither read further nor counted as bad (<see cref="SubsetSource"/>).
/// </summary>
/// <param name="Keeps">Whether the sample with this key is delivered.</param>
/// <param name="Fraction">The share of samples <paramref name="Keeps"/> accepts (expected), for scaling counts of samples
/// lost without their keys being seen (a truncated shard).</param>
public sealed record SampleKeyFilter(Func<string, bool> Keeps, double Fraction)
{
    /// <summary>Every sample.</summary>
    public static SampleKeyFilter All { get; } = new(_ => true, 1.0);

    /// <summary>The expected number of kept samples among <paramref name="samples"/> whose keys are unknown.</summary>
    public long ShareOf(long samples) => Fraction >= 1.0 ? samples : (long)Math.Round(samples * Fraction);
}
