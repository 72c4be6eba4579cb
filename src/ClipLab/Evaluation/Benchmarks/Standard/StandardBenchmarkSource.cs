namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// A standard benchmark as the user has it on disk: its format and where it is. Formats and what
/// <see cref="Path"/> is:
/// <list type="bullet">
/// <item><c>imagenet</c>, <c>imagenet-v2</c>, <c>imagenet-sketch</c>, <c>imagenet-r</c>, <c>imagenet-a</c>: the image
/// folder (layouts in <see cref="ImageNetLayout"/>);</item>
/// <item><c>objectnet</c>: the <c>objectnet-1.0</c> folder (<see cref="ObjectNetLayout"/>);</item>
/// <item><c>coco</c>, <c>flickr30k</c>: the caption file, with <see cref="Images"/> the image folder (<see cref="CaptionFile"/>);</item>
/// <item><c>cifar10</c>, <c>cifar100</c>: the binary-version folder (<see cref="CifarBinary"/>).</item>
/// </list>
/// </summary>
/// <param name="Format">One of <see cref="Formats"/>.</param>
/// <param name="Path">Folder or file, as above.</param>
/// <param name="Images">Image folder of a caption file (coco, flickr30k only).</param>
public sealed record StandardBenchmarkSource(string Format, string Path, string? Images = null)
{
    /// <summary>The formats, which are also the benchmark names in reports.</summary>
    public static IReadOnlyList<string> Formats { get; } =
        ["imagenet", "imagenet-v2", "imagenet-sketch", "imagenet-r", "imagenet-a", "objectnet", "coco", "flickr30k", "cifar10", "cifar100"];

    /// <summary>Whether the format is an image–caption set (retrieval) rather than a classification set.</summary>
    public bool IsRetrieval => Format is "coco" or "flickr30k";

    /// <summary>Checks the format and that caption sets name their image folder.</summary>
    /// <exception cref="ArgumentException">Unknown format (the message lists the valid ones) or a missing image folder.</exception>
    public StandardBenchmarkSource Validated()
    {
        if (!Formats.Contains(Format)) throw new ArgumentException($"unknown benchmark format '{Format}'. Valid formats: {string.Join(", ", Formats)}");
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException($"benchmark format '{Format}' needs a path");
        if (IsRetrieval && string.IsNullOrWhiteSpace(Images))
            throw new ArgumentException($"benchmark format '{Format}' needs the folder of its images (--{(Format == "coco" ? "coco" : "flickr")}-images DIR, or \"images\" in a benchmark file)");
        if (!IsRetrieval && Images is not null) throw new ArgumentException($"benchmark format '{Format}' takes no image folder besides its path");
        return this;
    }
}
