using System.Text.Json.Serialization;
using ClipLab.Evaluation.Evaluators;

namespace ClipLab.Evaluation;

/// <summary>
/// Retrieval recalls in the layout of a run's <c>results.json</c> (<c>image_to_text.r1</c> …): a view of one
/// benchmark's <c>retrieval</c> metrics in a <see cref="Suites.SuiteReport"/>.
/// </summary>
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

    /// <summary>The retrieval metrics of <paramref name="benchmark"/> in <paramref name="report"/>, or null when it has none.</summary>
    public static RetrievalReport? From(Suites.SuiteReport report, string benchmark)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Benchmarks.TryGetValue(benchmark, out var tasks) || !tasks.TryGetValue(RetrievalEvaluator.TaskName, out var m)) return null;
        return new RetrievalReport(new RecallReport(m["image_to_text_r1"], m["image_to_text_r5"], m["image_to_text_r10"]),
            new RecallReport(m["text_to_image_r1"], m["text_to_image_r5"], m["text_to_image_r10"]), (int)m["images"], (int)m["texts"]);
    }
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

/// <summary>
/// Zero-shot accuracy in the layout of a run's <c>results.json</c>: a view of one benchmark's <c>zeroshot</c>
/// metrics in a <see cref="Suites.SuiteReport"/>.
/// </summary>
/// <param name="Top1">Top-1 accuracy.</param>
/// <param name="Top5">Top-5 accuracy.</param>
/// <param name="Images">Images evaluated.</param>
/// <param name="Benchmark">What was classified (<c>fashion-mnist-test</c>).</param>
/// <param name="Templates">Prompt templates in the ensemble.</param>
/// <param name="MeanPerClass">Mean per-class accuracy (null in results written before it was measured).</param>
public sealed record ZeroShotReport(
    [property: JsonPropertyName("top1")] double Top1,
    [property: JsonPropertyName("top5")] double Top5,
    [property: JsonPropertyName("images")] int Images,
    [property: JsonPropertyName("benchmark")] string Benchmark,
    [property: JsonPropertyName("templates")] int Templates,
    [property: JsonPropertyName("mean_per_class")] double? MeanPerClass = null)
{
    /// <summary>The zero-shot metrics of <paramref name="benchmark"/>'s test split in <paramref name="report"/>, or null when it has none.</summary>
    public static ZeroShotReport? From(Suites.SuiteReport report, string benchmark)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (!report.Benchmarks.TryGetValue(benchmark, out var tasks) || !tasks.TryGetValue(ZeroShotEvaluator.TaskName, out var m)) return null;
        return new ZeroShotReport(m["top1"], m["top5"], (int)m["images"], benchmark + "-test", (int)m["templates"], m["mean_per_class"]);
    }
}
