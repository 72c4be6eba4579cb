namespace ClipLab.Data.Quality;

/// <summary>One image–text pair and its score under a scoring model: one row of a <see cref="ScoreFile"/>.</summary>
/// <param name="Key">Sample key within its shard (the WebDataset basename).</param>
/// <param name="Shard">Full path of the shard the sample was read from (for other sources, the source's name).</param>
/// <param name="Score">Cosine similarity of the L2-normalised image and text embeddings, in [-1, 1].</param>
/// <param name="Caption">The caption that was scored, as stored (before tokenising).</param>
public sealed record ScoredPair(string Key, string Shard, float Score, string Caption);
