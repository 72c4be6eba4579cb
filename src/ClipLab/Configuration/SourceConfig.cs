using System.Text.Json.Serialization;

namespace ClipLab.Configuration;

/// <summary>
/// One streaming data source of a run (<c>data.sources</c>), chosen by <c>"type"</c>. Several sources are
/// mixed with probabilities proportional to their <see cref="Weight"/>. Plain data: the training area opens the
/// sources and checks that their files exist (<c>ClipLab.Training.TrainingSources</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(WebDatasetSourceConfig), "webdataset")]
[JsonDerivedType(typeof(CsvSourceConfig), "csv")]
[JsonDerivedType(typeof(FashionMnistSourceConfig), "fashion-mnist")]
public abstract record SourceConfig
{
    /// <summary>Sampling weight in a mixture (relative).</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>This config with file paths made absolute against <paramref name="baseDirectory"/> (stored so a resumed run finds them from anywhere).</summary>
    public virtual SourceConfig WithAbsolutePaths(string baseDirectory) => this;

    /// <summary>Checks the values; <paramref name="key"/> is this source's path in the config.</summary>
    public virtual void Validate(string key)
    {
        if (!(Weight > 0) || double.IsInfinity(Weight)) throw new ConfigException($"{key}.weight", Weight, "a positive number");
    }
}

/// <summary>WebDataset tar shards (<c>{key}.jpg|png|webp</c> + <c>{key}.txt</c> [+ <c>{key}.json</c>]), as written by img2dataset or <c>cliplab data shards</c>.</summary>
public sealed record WebDatasetSourceConfig : SourceConfig
{
    /// <summary>Shards: a brace pattern (<c>data/shard-{00000..00099}.tar</c>) or several joined by <c>::</c>; relative paths are taken from the working directory when the run starts.</summary>
    public string Shards { get; init; } = "";

    /// <inheritdoc />
    public override SourceConfig WithAbsolutePaths(string baseDirectory) =>
        this with { Shards = string.Join("::", Shards.Split("::").Select(p => System.IO.Path.GetFullPath(p, baseDirectory))) };

    /// <inheritdoc />
    public override void Validate(string key)
    {
        base.Validate(key);
        if (string.IsNullOrWhiteSpace(Shards)) throw new ConfigException($"{key}.shards", Shards, "a shard path or brace pattern such as data/shard-{00000..00009}.tar");
    }
}

/// <summary>A CSV/TSV file of image paths (relative to the file's folder) and captions, as open_clip's csv datasets.</summary>
public sealed record CsvSourceConfig : SourceConfig
{
    /// <summary>Path of the CSV file.</summary>
    public string Path { get; init; } = "";

    /// <summary>Column holding image paths.</summary>
    public string ImageColumn { get; init; } = "filepath";

    /// <summary>Column holding captions.</summary>
    public string CaptionColumn { get; init; } = "title";

    /// <summary>Field separator (tab by default, as open_clip).</summary>
    public string Separator { get; init; } = "\t";

    /// <inheritdoc />
    public override SourceConfig WithAbsolutePaths(string baseDirectory) => this with { Path = System.IO.Path.GetFullPath(Path, baseDirectory) };

    /// <inheritdoc />
    public override void Validate(string key)
    {
        base.Validate(key);
        if (string.IsNullOrWhiteSpace(Path)) throw new ConfigException($"{key}.path", Path, "the path of a CSV/TSV file");
        if (Separator.Length != 1) throw new ConfigException($"{key}.separator", Separator, "a single character such as \"\\t\" or \",\"");
    }
}

/// <summary>Fashion-MNIST from the Debian package, with generated captions, as a streaming source.</summary>
public sealed record FashionMnistSourceConfig : SourceConfig
{
    /// <summary>Valid splits.</summary>
    public static readonly IReadOnlyList<string> Splits = new[] { "train", "test" };

    /// <summary>Which split: <c>train</c> or <c>test</c>.</summary>
    public string Split { get; init; } = "train";

    /// <inheritdoc />
    public override void Validate(string key)
    {
        base.Validate(key);
        if (!Splits.Contains(Split)) throw new ConfigException($"{key}.split", Split, "one of: " + string.Join(", ", Splits));
    }
}
