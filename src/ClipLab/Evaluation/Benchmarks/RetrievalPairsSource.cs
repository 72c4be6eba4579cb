using ClipLab.Configuration;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Image–caption pairs for retrieval: any source <c>cliplab data shards --from</c> accepts — a CSV/TSV table or
/// WebDataset shards (<c>data/heldout/heldout-{00000..00003}.tar</c>). Rows or samples with identical image
/// bytes are one image with several captions.
/// </summary>
public sealed record RetrievalPairsSource
{
    /// <summary>A .csv/.tsv file or .tar shard pattern, relative to the benchmark file.</summary>
    public string Source { get; init; } = "";

    /// <summary>Table column of image paths (tables only).</summary>
    public string ImageColumn { get; init; } = "filepath";

    /// <summary>Table column of captions (tables only).</summary>
    public string CaptionColumn { get; init; } = "title";

    /// <summary>Use at most this many distinct images (the first ones read); null for all.</summary>
    public int? MaxImages { get; init; }

    internal void Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(Source)) throw new ConfigException($"{path}: \"retrieval.source\" must name a .csv/.tsv file or .tar shards");
        if (MaxImages is < 2) throw new ConfigException($"{path}: \"retrieval.maxImages\" must be at least 2, got {MaxImages}");
    }
}
