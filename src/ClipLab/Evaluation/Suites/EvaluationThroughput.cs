using System.Text.Json.Serialization;

namespace ClipLab.Evaluation.Suites;

/// <summary>How fast an evaluation ran, in the results-file layout.</summary>
/// <param name="ImagesEmbedded">Images loaded (decoded, shifted, resized) and embedded by the image tower.</param>
/// <param name="EmbedSeconds">Wall-clock seconds spent on them.</param>
/// <param name="ImagesPerSecond">ImagesEmbedded / EmbedSeconds: the evaluation throughput.</param>
/// <param name="ImagesFromDiskCache">Images whose features came from the disk cache instead.</param>
/// <param name="ImagesReused">Image features reused in memory by a later task or benchmark.</param>
public sealed record EvaluationThroughput(
    [property: JsonPropertyName("images_embedded")] long ImagesEmbedded,
    [property: JsonPropertyName("embed_seconds")] double EmbedSeconds,
    [property: JsonPropertyName("images_per_second")] double ImagesPerSecond,
    [property: JsonPropertyName("images_from_disk_cache")] long ImagesFromDiskCache,
    [property: JsonPropertyName("images_reused")] long ImagesReused);
