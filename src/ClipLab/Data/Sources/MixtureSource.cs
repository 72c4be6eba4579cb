namespace ClipLab.Data.Sources;

/// <summary>A source and its sampling weight within a <see cref="MixtureSource"/>.</summary>
/// <param name="Source">The component source.</param>
/// <param name="Weight">Relative sampling weight (positive).</param>
public sealed record WeightedSource(ISampleSource Source, double Weight);

/// <summary>
/// Interleaves several sources: each output sample comes from source <c>i</c> with probability
/// <c>wᵢ / Σw</c> over the sources not yet exhausted (a deterministic draw from seed, epoch and slice). When a
/// source runs out, the draw is renormalised over the rest, so an epoch yields every sample of every finite
/// component once. Each component reads the same partition with its own derived seed.
/// </summary>
public sealed class MixtureSource : ISampleSource
{
    private const long DrawStream = 0x4D49_58; // "MIX"

    /// <summary>Creates the mixture.</summary>
    /// <exception cref="ArgumentException">No source, or a weight that is not a positive finite number.</exception>
    public MixtureSource(IReadOnlyList<WeightedSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        if (sources.Count == 0) throw new ArgumentException("a mixture needs at least one source", nameof(sources));
        foreach (var (s, i) in sources.Select((s, i) => (s, i)))
        {
            if (s?.Source is null) throw new ArgumentException($"source {i} is null", nameof(sources));
            if (!(s.Weight > 0) || double.IsInfinity(s.Weight))
                throw new ArgumentException($"weight of source {i} ({s.Source.Name}) is {s.Weight}; weights must be positive and finite", nameof(sources));
        }
        Sources = sources.ToList();
    }

    /// <summary>The components and their weights.</summary>
    public IReadOnlyList<WeightedSource> Sources { get; }

    /// <inheritdoc />
    public string Name => string.Join(" + ", Sources.Select(s => $"{s.Source.Name} (×{s.Weight:G4})"));

    /// <summary>The sum of the components' counts; null if any component's count is unknown or endless.</summary>
    public long? Count => Sources.Aggregate((long?)0, (sum, s) => sum + s.Source.Count);

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(bad);
        return Iterate(partition, epoch, seed, bad, cancellation);
    }

    private IEnumerable<RawSample> Iterate(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation)
    {
        Random random = SeedMixer.Random(seed, epoch, partition.Slice, DrawStream);
        var active = new List<(IEnumerator<RawSample> Samples, double Weight)>();
        try
        {
            for (int i = 0; i < Sources.Count; i++)
                active.Add((Sources[i].Source.Read(partition, epoch, SeedMixer.Mix(seed, i), bad, cancellation).GetEnumerator(), Sources[i].Weight));
            while (active.Count > 0)
            {
                cancellation.ThrowIfCancellationRequested();
                int pick = Draw(active, random);
                if (active[pick].Samples.MoveNext())
                {
                    yield return active[pick].Samples.Current;
                    continue;
                }
                active[pick].Samples.Dispose();
                active.RemoveAt(pick); // exhausted: later draws renormalise over the rest
            }
        }
        finally
        {
            foreach (var (samples, _) in active) samples.Dispose();
        }
    }

    private static int Draw(List<(IEnumerator<RawSample> Samples, double Weight)> active, Random random)
    {
        double total = active.Sum(a => a.Weight), x = random.NextDouble() * total;
        for (int i = 0; i < active.Count - 1; i++)
        {
            x -= active[i].Weight;
            if (x < 0) return i;
        }
        return active.Count - 1;
    }
}
