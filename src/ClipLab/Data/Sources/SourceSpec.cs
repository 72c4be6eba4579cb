using ClipLab.Data.Fashion;

namespace ClipLab.Data.Sources;

/// <summary>
/// Opens a source named on the command line: <c>fashion-mnist</c> / <c>fashion-mnist:test</c>, a CSV/TSV
/// file (<c>*.csv</c>, <c>*.tsv</c>), or WebDataset shards (a path or brace pattern ending in <c>.tar</c>).
/// Sources opened here keep their stored order (no shuffling): they are for conversion and evaluation.
/// </summary>
public static class SourceSpec
{
    /// <summary>Forms accepted by <see cref="Open"/>, for help and error messages.</summary>
    public const string Forms = "fashion-mnist[:train|:test], a .csv/.tsv file, or .tar shards (e.g. data/shard-{00000..00009}.tar)";

    /// <summary>
    /// Opens <paramref name="spec"/>. For CSV/TSV files the columns are named by <paramref name="imageColumn"/> and
    /// <paramref name="captionColumn"/>; the separator is <paramref name="separator"/>, or by default ',' for
    /// <c>.csv</c> and tab for <c>.tsv</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The spec matches none of the accepted forms.</exception>
    public static ISampleSource Open(string spec, string imageColumn = "filepath", string captionColumn = "title", char? separator = null)
    {
        if (spec is "fashion-mnist" or "fashion-mnist:train" or "fashion-mnist:test")
            return new FashionMnistSource(spec.EndsWith(":test") ? FashionMnistSplit.Test : FashionMnistSplit.Train, shuffle: false);
        if (spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || spec.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return new CsvSource(new CsvSourceOptions(spec)
            {
                ImageColumn = imageColumn,
                CaptionColumn = captionColumn,
                Separator = separator ?? (spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : '\t'),
            });
        }
        if (spec.Contains(".tar", StringComparison.OrdinalIgnoreCase))
            return new WebDataset.WebDatasetSource(new WebDataset.WebDatasetOptions(spec));
        throw new ArgumentException($"unknown source '{spec}'. Valid forms: {Forms}.");
    }
}
