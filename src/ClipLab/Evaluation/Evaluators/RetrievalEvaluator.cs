using ClipLab.Evaluation.Suites;
using TorchSharp;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// Image↔text retrieval on every retrieval benchmark, an image possibly having several captions. Metrics
/// <c>image_to_text_r1/r5/r10</c>, <c>text_to_image_r1/r5/r10</c>, <c>images</c>, <c>texts</c>.
/// </summary>
public sealed class RetrievalEvaluator : IEvaluator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "retrieval";

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public EvaluatorNeeds Needs => EvaluatorNeeds.RetrievalPairs;

    /// <inheritdoc />
    public EvaluatorResult Run(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = new MetricTable();
        var model = context.Model;
        foreach (var benchmark in context.Benchmarks.Retrieval)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var pairs = benchmark.Load();
            context.Log.WriteLine($"{benchmark.Name}: retrieval, {pairs.Images.Count:N0} images × {pairs.Captions.Count:N0} captions ...");
            var images = context.Cache.Get(pairs.Images).Features;
            using var scope = torch.NewDisposeScope();
            var texts = EmbeddingExtractor.Texts(model.Network, model.Tokenizer.Encode(pairs.Captions), context.TextBatchSize);
            var result = Retrieval.Score(images, texts, pairs.CaptionImage);
            var metrics = table.For(benchmark.Name, TaskName);
            metrics["image_to_text_r1"] = result.ImageToText.R1;
            metrics["image_to_text_r5"] = result.ImageToText.R5;
            metrics["image_to_text_r10"] = result.ImageToText.R10;
            metrics["text_to_image_r1"] = result.TextToImage.R1;
            metrics["text_to_image_r5"] = result.TextToImage.R5;
            metrics["text_to_image_r10"] = result.TextToImage.R10;
            metrics["images"] = result.Images;
            metrics["texts"] = result.Texts;
        }
        return new EvaluatorResult(table);
    }
}
