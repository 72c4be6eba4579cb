using ClipLab.Configuration;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// A user's benchmark, described in a JSON file passed to <c>cliplab eval --benchmark FILE</c> (format in
/// docs/evaluation.md). Paths are relative to the file's folder. Keys are checked strictly: a typo is an error
/// naming the valid keys.
/// </summary>
public sealed record BenchmarkFile
{
    /// <summary>Benchmark name in reports (letters, digits, '-', '_', '.').</summary>
    public string Name { get; init; } = "";

    /// <summary>Class names in label order; by default the sorted class folder names or CSV label values.</summary>
    public IReadOnlyList<string>? Classnames { get; init; }

    /// <summary>Prompt templates, each with <c>{}</c> once; by default CLIP's "a photo of a {}.".</summary>
    public IReadOnlyList<string>? Templates { get; init; }

    /// <summary>A prompt-template file (<c>{"classnames": [...], "templates": [...]}</c>) instead of <see cref="Classnames"/> and <see cref="Templates"/>.</summary>
    public string? Prompts { get; init; }

    /// <summary>Test images (zero-shot; the probes' test set).</summary>
    public LabeledImagesSource? Test { get; init; }

    /// <summary>Training images, enabling the linear probe and few-shot evaluation.</summary>
    public LabeledImagesSource? Train { get; init; }

    /// <summary>Image–caption pairs for retrieval.</summary>
    public RetrievalPairsSource? Retrieval { get; init; }

    /// <summary>Loads and checks a benchmark file.</summary>
    /// <exception cref="ConfigException">Missing file, bad JSON, unknown key or invalid value.</exception>
    public static BenchmarkFile Load(string path)
    {
        var file = ConfigJson.Load<BenchmarkFile>(path);
        file.Validate(path);
        return file;
    }

    private void Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(Name) || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ConfigException($"{path}: \"name\" must be a non-empty name of letters, digits, '-', '_' or '.', got '{Name}'");
        if (Test is null && Retrieval is null)
            throw new ConfigException($"{path}: give \"test\" (labeled images) and/or \"retrieval\" (image-caption pairs)");
        if (Train is not null && Test is null)
            throw new ConfigException($"{path}: \"train\" needs \"test\" (the probes are measured on the test images)");
        if (Prompts is not null && (Classnames is not null || Templates is not null))
            throw new ConfigException($"{path}: give either \"prompts\" (a file) or \"classnames\"/\"templates\", not both");
        Test?.Validate(path, "test");
        Train?.Validate(path, "train");
        Retrieval?.Validate(path);
    }
}
