using ClipLab.Models;
using ClipLab.Text;
using ClipLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation;

/// <summary>
/// Zero-shot classification as in CLIP: each class is represented by the renormalised mean of the
/// normalised text embeddings of its prompts (a template ensemble), and an image is assigned the class
/// whose representation is most similar.
/// </summary>
public static class ZeroShotClassification
{
    /// <summary>Builds the class-embedding matrix [classes, embed] from a prompt-template set.</summary>
    public static Tensor BuildClassifier(ClipModel model, ClipTokenizer tokenizer, PromptTemplateSet prompts)
    {
        using var noGrad = torch.no_grad();
        model.eval();
        var device = ModelPlacement.DeviceOf(model);
        var rows = new List<Tensor>();
        for (int c = 0; c < prompts.ClassNames.Count; c++)
        {
            using var scope = torch.NewDisposeScope();
            var tokens = tokenizer.Encode(prompts.Prompts(c));
            rows.Add(EnsembleEmbedding(ModelPlacement.ToCpuFloat(model.EncodeText(ModelPlacement.To(tokens, device)))).MoveToOuterDisposeScope());
        }
        var classifier = torch.stack(rows, 0);
        foreach (var row in rows) row.Dispose();
        return classifier;
    }

    /// <summary>
    /// One class's embedding [E] from its prompts' text embeddings [templates, E]: each prompt embedding is
    /// normalised (so no template outweighs the others by its norm), they are averaged, and the mean is
    /// normalised again (so every class competes on cosine similarity), as in CLIP's prompt ensembling.
    /// </summary>
    public static Tensor EnsembleEmbedding(Tensor promptEmbeddings)
    {
        if (promptEmbeddings.dim() != 2 || promptEmbeddings.shape[0] == 0)
            throw new ArgumentException($"expected prompt embeddings [templates, embed], got [{string.Join(", ", promptEmbeddings.shape)}]");
        using var unit = nn.functional.normalize(promptEmbeddings, dim: 1);
        using var mean = unit.mean(new long[] { 0 });
        return nn.functional.normalize(mean, dim: 0);
    }

    /// <summary>
    /// Scores unit-norm image embeddings [N, E] against a classifier [C, E] (cosine similarity) with true
    /// <paramref name="labels"/>: top-1, top-5 and mean per-class accuracy.
    /// </summary>
    public static ClassificationAccuracy Score(Tensor imageEmbeddings, Tensor classifier, IReadOnlyList<int> labels)
    {
        if (imageEmbeddings.shape[0] != labels.Count)
            throw new ArgumentException($"{imageEmbeddings.shape[0]} embeddings but {labels.Count} labels");
        using var logits = imageEmbeddings.matmul(classifier.t());
        return ClassificationAccuracy.Measure(logits, labels);
    }
}
