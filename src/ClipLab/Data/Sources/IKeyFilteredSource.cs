namespace ClipLab.Data.Sources;

/// <summary>
/// A source that can leave samples out by key while reading, before it assembles, checks or counts them (CSV rows,
/// WebDataset shards), so a <see cref="SubsetSource"/> of it neither reads nor counts as bad what is not in the subset.
/// </summary>
public interface IKeyFilteredSource : ISampleSource
{
    /// <summary>As <see cref="ISampleSource.Read"/>, delivering only the samples <paramref name="filter"/> keeps.</summary>
    IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, SampleKeyFilter filter,
        CancellationToken cancellation = default);
}
