using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Evaluation;
using ClipLab.Inference;
using ClipLab.Models;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>Zero-shot Fashion-MNIST test accuracy of the same model through TorchSharp and through ONNX Runtime.</summary>
/// <param name="Images">Test images classified.</param>
/// <param name="TorchSharp">Accuracy with TorchSharp embeddings.</param>
/// <param name="OnnxRuntime">Accuracy with ONNX Runtime embeddings.</param>
/// <param name="DifferentPredictions">Images whose top-1 class differs between the two.</param>
/// <param name="ImageMaxAbsDifference">Largest element difference of the image embeddings.</param>
public sealed record OnnxZeroShotComparisonResult(int Images, ClassificationAccuracy TorchSharp, ClassificationAccuracy OnnxRuntime,
    int DifferentPredictions, double ImageMaxAbsDifference);

/// <summary>
/// Runs the zero-shot task of evaluation (Fashion-MNIST test, the run's prompt ensemble; see
/// <see cref="ClipLab.Evaluation.Suites.EndOfTrainingEvaluation"/>) twice on the same pixels and prompts: embeddings from the TorchSharp model, then from
/// the exported ONNX model, both scored by <see cref="ZeroShotClassification"/>.
/// </summary>
public static class OnnxZeroShotComparison
{
    /// <summary>Compares <paramref name="onnx"/> with <paramref name="model"/> (trained with <paramref name="config"/>).</summary>
    public static OnnxZeroShotComparisonResult Run(ClipModel model, ClipTokenizer tokenizer, RunConfig config, ClipOnnxModel onnx)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(onnx);
        var eval = config.Evaluation;
        var test = FashionMnist.Load(FashionMnistSplit.Test, config.Data.Root);
        var prompts = PromptTemplateSet.LoadShipped(eval.PromptSet);
        using var pairs = FashionMnistPairs.Build(test, FashionMnistCaptions.Load(), tokenizer, model.Config.Vision.ImageSize, eval.RetrievalCaptionSeed);
        using var scope = NewDisposeScope();

        var torchImages = EmbeddingExtractor.Images(model, pairs, eval.BatchSize);
        var torchClassifier = ZeroShotClassification.BuildClassifier(model, tokenizer, prompts);
        var onnxImages = OnnxImages(onnx, pairs, model.Config.Vision.Channels, eval.BatchSize);
        var onnxClassifier = stack(Enumerable.Range(0, prompts.ClassNames.Count)
            .Select(c => ZeroShotClassification.EnsembleEmbedding(ToTensor(onnx.EmbedTexts(prompts.Prompts(c))))), 0);

        var labels = pairs.ImageLabels!;
        var torchTop1 = torchImages.matmul(torchClassifier.t()).argmax(1);
        var onnxTop1 = onnxImages.matmul(onnxClassifier.t()).argmax(1);
        return new OnnxZeroShotComparisonResult(
            labels.Length,
            ZeroShotClassification.Score(torchImages, torchClassifier, labels),
            ZeroShotClassification.Score(onnxImages, onnxClassifier, labels),
            (int)torchTop1.ne(onnxTop1).sum().item<long>(),
            (torchImages - onnxImages).abs().max().item<float>());
    }

    private static Tensor OnnxImages(ClipOnnxModel onnx, ImageTextPairs pairs, int channels, int batchSize)
    {
        var dim = onnx.Manifest.EmbedDim;
        var values = new float[(long)pairs.ImageCount * dim];
        for (long start = 0; start < pairs.ImageCount; start += batchSize)
        {
            using var scope = NewDisposeScope();
            int count = (int)Math.Min(batchSize, pairs.ImageCount - start);
            var pixels = pairs.ImageRange(start, count, channels).contiguous().data<float>().ToArray();
            onnx.EmbedPixels(pixels, count).Values.CopyTo(values, start * dim);
        }

        return torch.tensor(values).reshape(pairs.ImageCount, dim);
    }

    private static Tensor ToTensor(EmbeddingMatrix embeddings) => torch.tensor(embeddings.Values).reshape(embeddings.Count, embeddings.Dim);
}
