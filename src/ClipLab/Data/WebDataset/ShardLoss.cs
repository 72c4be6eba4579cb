namespace ClipLab.Data.WebDataset;

/// <summary>Samples a damaged or missing shard lost, and how that number was found (for messages).</summary>
/// <param name="Samples">Samples lost (at least 1).</param>
/// <param name="Basis">How it was counted: from the manifest, or estimated from the shard's size.</param>
public readonly record struct ShardLoss(long Samples, string Basis);
