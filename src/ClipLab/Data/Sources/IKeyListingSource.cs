namespace ClipLab.Data.Sources;

/// <summary>
/// A source that knows every sample key it holds before reading any sample (a CSV table's row keys), so a
/// <see cref="SubsetSource"/> can draw an exact number of them. Sources that learn their keys only by reading (WebDataset
/// shards) do not implement it, and their subsets have the requested size on average.
/// </summary>
public interface IKeyListingSource : ISampleSource
{
    /// <summary>The key of every sample, as <see cref="RawSample.Key"/> will give it (samples that turn out bad included).</summary>
    IEnumerable<string> Keys();
}
