namespace ClipLab.Data;

/// <summary>The bad and lost samples of one file (shard), by reason, as <see cref="BadSampleCounter"/> tallies them.</summary>
/// <param name="File">The file's path.</param>
/// <param name="ByReason">Bad samples by reason.</param>
public sealed record BadFileTally(string File, IReadOnlyDictionary<SkipReason, long> ByReason)
{
    /// <summary>Bad samples of the file, all reasons.</summary>
    public long Bad => ByReason.Values.Sum();

    /// <summary>"data/shard-00001.tar: 53 (truncated tar shard: 53)".</summary>
    public override string ToString() =>
        $"{File}: {Bad:N0} ({string.Join(", ", ByReason.Select(kv => $"{BadSampleCounter.Describe(kv.Key)}: {kv.Value:N0}"))})";
}
