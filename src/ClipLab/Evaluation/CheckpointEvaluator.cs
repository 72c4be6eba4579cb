using System.Diagnostics;
using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Models;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation;

/// <summary>
/// Runs the evaluation tasks of a run config against a model: zero-shot classification of all 10,000
/// Fashion-MNIST test images with a prompt-template ensemble, and retrieval on held-out test images, each
/// with several freshly generated captions.
/// </summary>
public static class CheckpointEvaluator
{
    /// <summary>Evaluates <paramref name="model"/> on the tasks given (all of those enabled in the config when null).</summary>
    public static EvaluationReport Evaluate(ClipModel model, ClipTokenizer tokenizer, RunConfig config,
        IReadOnlyCollection<EvaluationTask>? tasks = null, TextWriter? log = null)
    {
        log ??= TextWriter.Null;
        var eval = config.Evaluation;
        tasks ??= new[] { EvaluationTask.ZeroShot, EvaluationTask.Retrieval }
            .Where(t => t == EvaluationTask.ZeroShot ? eval.ZeroShot : eval.Retrieval).ToArray();
        var watch = Stopwatch.StartNew();
        var test = FashionMnist.Load(FashionMnistSplit.Test, config.Data.Root);
        var captions = FashionMnistCaptions.Load();
        int imageSize = model.Config.Vision.ImageSize;
        ZeroShotReport? zeroShot = null;
        RetrievalReport? retrieval = null;

        if (tasks.Contains(EvaluationTask.ZeroShot))
        {
            log.WriteLine($"Zero-shot classification on {test.Count:N0} test images ...");
            var prompts = PromptTemplateSet.LoadShipped(eval.PromptSet);
            // Zero-shot needs only the images and labels; one caption per image is built but unused.
            using var pairs = FashionMnistPairs.Build(test, captions, tokenizer, imageSize, eval.RetrievalCaptionSeed);
            using var scope = torch.NewDisposeScope();
            var imageEmb = EmbeddingExtractor.Images(model, pairs, eval.BatchSize);
            var classifier = ZeroShotClassification.BuildClassifier(model, tokenizer, prompts);
            var result = ZeroShotClassification.Score(imageEmb, classifier, pairs.ImageLabels!);
            zeroShot = new ZeroShotReport(result.Top1, result.Top5, result.Images, "fashion-mnist-test", prompts.Templates.Count, result.MeanPerClass);
        }
        if (tasks.Contains(EvaluationTask.Retrieval))
        {
            log.WriteLine($"Retrieval on {eval.RetrievalImages:N0} held-out images × {eval.RetrievalCaptionsPerImage} captions ...");
            using var pairs = FashionMnistPairs.Build(test, captions, tokenizer, imageSize, eval.RetrievalCaptionSeed,
                eval.RetrievalCaptionsPerImage, count: eval.RetrievalImages);
            using var scope = torch.NewDisposeScope();
            var imageEmb = EmbeddingExtractor.Images(model, pairs, eval.BatchSize);
            var textEmb = EmbeddingExtractor.Texts(model, pairs.Tokens, eval.BatchSize);
            retrieval = RetrievalReport.From(Retrieval.Score(imageEmb, textEmb, pairs.CaptionImage));
        }
        return new EvaluationReport(zeroShot, retrieval, watch.Elapsed.TotalSeconds);
    }
}
