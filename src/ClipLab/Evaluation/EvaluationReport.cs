using System.Text.Json.Serialization;

namespace ClipLab.Evaluation;

/// <summary>Retrieval recalls in the results-file layout (<c>image_to_text.r1</c> …).</summary>
/// <param name="ImageToText">Image→text recalls.</param>
/// <param name="TextToImage">Text→image recalls.</param>
/// <param name="Images">Gallery images.</param>
/// <param name="Texts">Gallery captions.</param>
public sealed record RetrievalReport(
    [property: JsonPropertyName("image_to_text")] RecallReport ImageToText,
    [property: JsonPropertyName("text_to_image")] RecallReport TextToImage,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("texts")] int Texts)
{
    /// <summary>Converts a computed result.</summary>
    public static RetrievalReport From(RetrievalResult r) =>
        new(RecallReport.From(r.ImageToText), RecallReport.From(r.TextToImage), r.Images, r.Texts);
}

/// <summary>Recall@1/5/10 as fractions.</summary>
/// <param name="R1">Recall@1.</param>
/// <param name="R5">Recall@5.</param>
/// <param name="R10">Recall@10.</param>
public sealed record RecallReport(
    [property: JsonPropertyName("r1")] double R1,
    [property: JsonPropertyName("r5")] double R5,
    [property: JsonPropertyName("r10")] double R10)
{
    /// <summary>Converts a computed result.</summary>
    public static RecallReport From(RecallAtK r) => new(r.R1, r.R5, r.R10);
}

/// <summary>Zero-shot accuracy in the results-file layout.</summary>
/// <param name="Top1">Top-1 accuracy.</param>
/// <param name="Top5">Top-5 accuracy.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="Benchmark">What was classified.</param>
/// <param name="Templates">Prompt templates in the ensemble.</param>
/// <param name="MeanPerClass">Mean per-class accuracy (null in results written before it was measured).</param>
public sealed record ZeroShotReport(
    [property: JsonPropertyName("top1")] double Top1,
    [property: JsonPropertyName("top5")] double Top5,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("benchmark")] string Benchmark,
    [property: JsonPropertyName("templates")] int Templates,
    [property: JsonPropertyName("mean_per_class")] double? MeanPerClass = null);

/// <summary>Everything <see cref="CheckpointEvaluator"/> measured; absent tasks are null.</summary>
/// <param name="ZeroShot">Zero-shot classification.</param>
/// <param name="Retrieval">Image↔text retrieval.</param>
/// <param name="Seconds">Evaluation wall-clock time.</param>
public sealed record EvaluationReport(
    [property: JsonPropertyName("zeroshot")] ZeroShotReport? ZeroShot,
    [property: JsonPropertyName("retrieval")] RetrievalReport? Retrieval,
    [property: JsonPropertyName("seconds")] double Seconds);
