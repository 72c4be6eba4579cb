using System.Diagnostics;
using ClipLab.Data;

namespace ClipLab.Corpus;

/// <summary>What one import produced: items found, samples imported, items skipped by reason, and the time taken.</summary>
/// <param name="Source">The importer's <see cref="ISampleImporter.Name"/>.</param>
/// <param name="Found">Items looked at (imported + skipped).</param>
/// <param name="Imported">Samples yielded.</param>
/// <param name="Skipped">Skipped items by reason.</param>
/// <param name="Elapsed">Wall time of the read.</param>
public sealed record ImportReport(string Source, long Found, long Imported, IReadOnlyDictionary<SkipReason, long> Skipped, TimeSpan Elapsed)
{
    /// <summary>Skipped items, all reasons.</summary>
    public long SkippedTotal => Skipped.Values.Sum();

    /// <summary>A counter that records every skip but never stops a run (imports skip by design, e.g. huge images).</summary>
    public static BadSampleCounter NewCounter() => new(maxBadFraction: 1.0, minSamples: 0);

    /// <summary>The report of a finished read whose good and bad items were counted in <paramref name="counter"/>.</summary>
    public static ImportReport From(string source, BadSampleCounter counter, TimeSpan elapsed) =>
        new(source, counter.Good + counter.Bad, counter.Good, counter.ByReason, elapsed);

    /// <summary>
    /// Reads the whole importer, handing each sample to <paramref name="consume"/> (or discarding it), and reports
    /// the counts — e.g. to measure a package or to write it with a shard writer.
    /// </summary>
    public static ImportReport Run(ISampleImporter importer, Action<RawSample>? consume = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(importer);
        var counter = NewCounter();
        var clock = Stopwatch.StartNew();
        foreach (var sample in importer.Read(counter, cancellation)) consume?.Invoke(sample);
        return From(importer.Name, counter, clock.Elapsed);
    }

    /// <summary>"openclipart: 6,900 found, 6,883 imported, skipped: image too large: 17 (12.3 s)".</summary>
    public override string ToString()
    {
        string skipped = Skipped.Count == 0
            ? "none"
            : string.Join(", ", Skipped.Select(kv => $"{BadSampleCounter.Describe(kv.Key)}: {kv.Value:N0}"));
        return $"{Source}: {Found:N0} found, {Imported:N0} imported, skipped: {skipped} ({Elapsed.TotalSeconds:F1} s)";
    }
}
