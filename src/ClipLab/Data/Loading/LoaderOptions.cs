namespace ClipLab.Data.Loading;

/// <summary>How an <see cref="ImageTextLoader"/> batches and parallelises.</summary>
/// <param name="BatchSize">Samples per batch.</param>
/// <param name="ImageSize">Side of the square images the transform produces.</param>
/// <param name="Workers">Decode/augment threads; each reads its own slice of the source.</param>
/// <param name="PrefetchBatches">Finished batches each worker may hold ahead of the trainer (bounds memory).</param>
/// <param name="Seed">Seed of data order and augmentation.</param>
/// <param name="Rank">This process's rank (distributed training).</param>
/// <param name="WorldSize">Number of processes.</param>
/// <param name="Channels">Image channels the transform produces.</param>
/// <param name="ImageViews">Images the transform writes per sample (1, or 3 for SLIP: the CLIP view and two SimCLR views).</param>
public sealed record LoaderOptions(int BatchSize, int ImageSize, int Workers = 2, int PrefetchBatches = 2, ulong Seed = 0,
    int Rank = 0, int WorldSize = 1, int Channels = 3, int ImageViews = 1)
{
    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "must be at least 1");
        if (ImageSize < 1) throw new ArgumentOutOfRangeException(nameof(ImageSize), ImageSize, "must be at least 1");
        if (Workers < 1 || Workers > 64) throw new ArgumentOutOfRangeException(nameof(Workers), Workers, "must be 1..64");
        if (PrefetchBatches < 1) throw new ArgumentOutOfRangeException(nameof(PrefetchBatches), PrefetchBatches, "must be at least 1");
        if (ImageViews < 1) throw new ArgumentOutOfRangeException(nameof(ImageViews), ImageViews, "must be at least 1");
        if (WorldSize < 1 || Rank < 0 || Rank >= WorldSize) throw new ArgumentOutOfRangeException(nameof(Rank), Rank, $"must be in 0..{WorldSize - 1}");
    }
}
