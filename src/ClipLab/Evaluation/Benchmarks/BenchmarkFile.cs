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

    /// <summary>
    /// A standard benchmark format (<c>imagenet</c>, <c>imagenet-v2</c>, <c>coco</c>, <c>cifar10</c> …) read from
    /// <see cref="Path"/> (and <see cref="Images"/> for caption files), instead of test/train/retrieval.
    /// </summary>
    public string? Format { get; init; }

    /// <summary>Folder or file of a <see cref="Format"/> benchmark.</summary>
    public string? Path { get; init; }

    /// <summary>Image folder of a caption-file <see cref="Format"/> (coco, flickr30k).</summary>
    public string? Images { get; init; }

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
        if (Format is not null)
        {
            if (Test is not null || Train is not null || Retrieval is not null || Prompts is not null || Classnames is not null || Templates is not null)
                throw new ConfigException($"{path}: a \"format\" benchmark takes only \"name\", \"format\", \"path\" and \"images\"");
            if (!Standard.StandardBenchmarkSource.Formats.Contains(Format))
                throw new ConfigException($"{path}: \"format\" must be one of {string.Join(", ", Standard.StandardBenchmarkSource.Formats)}, got '{Format}'");
            if (string.IsNullOrWhiteSpace(Path)) throw new ConfigException($"{path}: \"format\" needs \"path\" (the benchmark's folder or caption file)");
            bool captions = Format is "coco" or "flickr30k";
            if (captions != (Images is not null))
                throw new ConfigException($"{path}: \"images\" (the image folder) is needed by the caption formats coco and flickr30k, and only by them");
            return;
        }
        if (Path is not null || Images is not null) throw new ConfigException($"{path}: \"path\" and \"images\" belong to a \"format\" benchmark");
        if (Test is null && Retrieval is null)
            throw new ConfigException($"{path}: give \"test\" (labeled images) and/or \"retrieval\" (image-caption pairs), or a standard \"format\" with its \"path\"");
        if (Train is not null && Test is null)
            throw new ConfigException($"{path}: \"train\" needs \"test\" (the probes are measured on the test images)");
        if (Prompts is not null && (Classnames is not null || Templates is not null))
            throw new ConfigException($"{path}: give either \"prompts\" (a file) or \"classnames\"/\"templates\", not both");
        Test?.Validate(path, "test");
        Train?.Validate(path, "train");
        Retrieval?.Validate(path);
    }
}
