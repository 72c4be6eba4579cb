using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;

namespace ClipLab.Data.Quality;

/// <summary>
/// What to score, split into <see cref="ScoringPart"/>s: one part per WebDataset shard (so an interrupted run
/// resumes at shard granularity), or a single part for any other source <see cref="SourceSpec"/> accepts (a CSV/TSV
/// file, Fashion-MNIST), which is then redone whole after an interruption.
/// </summary>
public sealed class ScoringPlan
{
    private ScoringPlan(string spec, IReadOnlyList<ScoringPart> parts)
    {
        Spec = spec;
        Parts = parts;
    }

    /// <summary>The data spec the plan was made from.</summary>
    public string Spec { get; }

    /// <summary>The parts, in stored order.</summary>
    public IReadOnlyList<ScoringPart> Parts { get; }

    /// <summary>Samples listed over all parts, or null when some part's count is unknown.</summary>
    public long? ExpectedSamples => Parts.Aggregate((long?)0, (sum, p) => sum + p.ExpectedSamples);

    /// <summary>
    /// Plans scoring of <paramref name="spec"/>: WebDataset shards (a path, brace pattern or <c>::</c> list ending in
    /// <c>.tar</c>) or another source form of <see cref="SourceSpec"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The spec matches no source form.</exception>
    /// <exception cref="FileNotFoundException">A shard named by the spec does not exist (scoring it would record an empty part that a later run would not redo).</exception>
    public static ScoringPlan Open(string spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        var source = SourceSpec.Open(spec);
        if (source is not WebDatasetSource shards)
            return new ScoringPlan(spec, [new ScoringPart(source.Name, source, source.Count)]);

        var counts = new Dictionary<string, Dictionary<string, long>?>(StringComparer.Ordinal);
        var parts = new List<ScoringPart>();
        foreach (string shard in shards.Shards)
        {
            string full = Path.GetFullPath(shard);
            if (!File.Exists(full))
                throw new FileNotFoundException($"shard {full} (from '{spec}') does not exist: check the pattern, e.g. the shard range and zero padding", full);
            string folder = Path.GetDirectoryName(full)!;
            if (!counts.TryGetValue(folder, out var perFile))
                counts[folder] = perFile = ShardManifest.TryLoadBeside(full)?.Shards.GroupBy(s => s.File).ToDictionary(g => g.Key, g => g.First().Samples);
            long? expected = perFile is not null && perFile.TryGetValue(Path.GetFileName(full), out long n) ? n : null;
            parts.Add(new ScoringPart(full, new WebDatasetSource(new WebDatasetOptions(full)), expected));
        }
        return new ScoringPlan(spec, parts);
    }
}
