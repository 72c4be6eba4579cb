using ClipLab.Configuration;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Where a benchmark's labeled images are: a folder with one sub-folder per class (torchvision's ImageFolder
/// layout), or a CSV/TSV table with an image-path column and a label column (a class name, or a 0-based class index).
/// </summary>
public sealed record LabeledImagesSource
{
    /// <summary>Folder of class sub-folders.</summary>
    public string? Folder { get; init; }

    /// <summary>CSV (',') or TSV (tab) table; image paths in it are relative to its folder.</summary>
    public string? Csv { get; init; }

    /// <summary>Table column of image paths.</summary>
    public string ImageColumn { get; init; } = "filepath";

    /// <summary>Table column of labels.</summary>
    public string LabelColumn { get; init; } = "label";

    /// <summary>Field separator (default: ',' for .csv, tab otherwise).</summary>
    public string? Separator { get; init; }

    internal void Validate(string path, string key)
    {
        if ((Folder is null) == (Csv is null))
            throw new ConfigException($"{path}: \"{key}\" needs exactly one of \"folder\" or \"csv\"");
        if (Separator is not null && Separator.Length != 1 && Separator != "\\t")
            throw new ConfigException($"{path}: \"{key}.separator\" must be one character (or \\t), got '{Separator}'");
    }

    /// <summary>The separator character for <see cref="Csv"/>.</summary>
    internal char SeparatorChar => Separator switch
    {
        null => Csv!.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? ',' : '\t',
        "\\t" => '\t',
        _ => Separator[0],
    };
}
