using ClipLab.Data.Sources;

namespace ClipLab.Data.Quality;

/// <summary>
/// The unit of resumable scoring: one shard (or a whole non-shard source), scored in one go and saved as one part
/// file, so a killed run redoes at most the part it was in.
/// </summary>
/// <param name="Name">Full shard path, or the source's name; becomes the <see cref="ScoredPair.Shard"/> of its rows.</param>
/// <param name="Source">The samples of this part, in stored order.</param>
/// <param name="ExpectedSamples">Samples listed for it (from <c>manifest.json</c>), or null when unknown.</param>
public sealed record ScoringPart(string Name, ISampleSource Source, long? ExpectedSamples);
