using ClipLab.Data;

namespace ClipLab.Corpus;

/// <summary>
/// Turns one installed data package (clip art, stamps, emoji, Fashion-MNIST) into image–text samples for
/// pre-training. Reading is lazy and deterministic (files in ordinal path order), so memory stays bounded and
/// two runs produce the same samples.
/// </summary>
public interface ISampleImporter
{
    /// <summary>Short source name, also the prefix of every key and the <c>source</c> field of the JSON metadata.</summary>
    string Name { get; }

    /// <summary>
    /// Number of candidate items in the installed package (image files, emoji entries, IDX images), i.e. what
    /// <see cref="Read"/> will either yield or skip: imported + skipped = <see cref="ExpectedCount"/>. Null when unknown.
    /// </summary>
    long? ExpectedCount { get; }

    /// <summary>
    /// Streams the samples. Each yielded sample is counted good in <paramref name="bad"/>; each unusable item is
    /// counted there with its reason and skipped (use a counter with maxBadFraction 1.0 so skips never throw).
    /// </summary>
    IEnumerable<RawSample> Read(BadSampleCounter bad, CancellationToken cancellation = default);
}
