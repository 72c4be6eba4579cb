using ClipLab.Models;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation;

/// <summary>Zero-shot classification accuracy.</summary>
/// <param name="Top1">Fraction of images whose highest-scoring class is the true one.</param>
/// <param name="Top5">Fraction whose true class is among the five highest.</param>
/// <param name="Images">Images evaluated.</param>
public sealed record ZeroShotResult(double Top1, double Top5, int Images);

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
        var rows = new List<Tensor>();
        for (int c = 0; c < prompts.ClassNames.Count; c++)
        {
            using var scope = torch.NewDisposeScope();
            var tokens = tokenizer.Encode(prompts.Prompts(c));
            var embeddings = model.EncodeText(tokens); // already unit-norm
            var mean = embeddings.mean(new long[] { 0 });
            rows.Add(nn.functional.normalize(mean, dim: 0).MoveToOuterDisposeScope());
        }
        var classifier = torch.stack(rows, 0);
        foreach (var row in rows) row.Dispose();
        return classifier;
    }

    /// <summary>Scores image embeddings [N, E] against a classifier [C, E] with true <paramref name="labels"/>.</summary>
    public static ZeroShotResult Score(Tensor imageEmbeddings, Tensor classifier, IReadOnlyList<int> labels)
    {
        if (imageEmbeddings.shape[0] != labels.Count)
            throw new ArgumentException($"{imageEmbeddings.shape[0]} embeddings but {labels.Count} labels");
        using var scope = torch.NewDisposeScope();
        var logits = imageEmbeddings.matmul(classifier.t());
        int k = (int)Math.Min(5, classifier.shape[0]);
        var topk = logits.topk(k, dim: 1).indexes;
        var truth = torch.tensor(labels.Select(l => (long)l).ToArray()).unsqueeze(1);
        var hits = topk.eq(truth);
        double top1 = hits.narrow(1, 0, 1).any(1).to_type(ScalarType.Float64).mean().ToDouble();
        double top5 = hits.any(1).to_type(ScalarType.Float64).mean().ToDouble();
        return new ZeroShotResult(top1, top5, labels.Count);
    }
}
