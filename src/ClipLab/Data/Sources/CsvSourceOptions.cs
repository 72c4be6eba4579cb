namespace ClipLab.Data.Sources;

/// <summary>How a <see cref="CsvSource"/> reads its table (defaults as open_clip's <c>--csv-*</c> options).</summary>
/// <param name="Path">The CSV/TSV file; image paths in it are relative to its folder.</param>
public sealed record CsvSourceOptions(string Path)
{
    /// <summary>Column holding the image path (open_clip <c>--csv-img-key</c>).</summary>
    public string ImageColumn { get; init; } = "filepath";

    /// <summary>Column holding the caption (open_clip <c>--csv-caption-key</c>).</summary>
    public string CaptionColumn { get; init; } = "title";

    /// <summary>Field separator (open_clip <c>--csv-separator</c>): tab by default, ',' for CSV.</summary>
    public char Separator { get; init; } = '\t';

    /// <summary>Shuffle the rows every epoch, deterministically from seed and epoch. Off by default (file order).</summary>
    public bool Shuffle { get; init; }
}
