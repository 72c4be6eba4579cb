using ClipLab.Text;

namespace ClipLab.Inference;

/// <summary>One image's zero-shot result: the best label and every label's probability.</summary>
/// <param name="Label">The most likely label.</param>
/// <param name="LabelIndex">Its index in <see cref="ZeroShotClassifier.Labels"/>.</param>
/// <param name="Probabilities">Per label: softmax over labels of the scaled similarities (CLIP), or each label's sigmoid (SigLIP).</param>
public sealed record LabelPrediction(string Label, int LabelIndex, IReadOnlyList<float> Probabilities);

/// <summary>
/// Zero-shot classification with an exported model, as ClipLab's evaluation does it: each label's embedding is the
/// renormalised mean of its prompts' unit embeddings (a prompt-template ensemble); an image takes the label of highest
/// cosine similarity. Probabilities use the model's learned logit scale (and bias for SigLIP).
/// </summary>
public sealed class ZeroShotClassifier
{
    private readonly EmbeddingMatrix _labels;
    private readonly double _scale;
    private readonly double? _bias;

    private ZeroShotClassifier(IReadOnlyList<string> labels, EmbeddingMatrix labelEmbeddings, double scale, double? bias)
    {
        Labels = labels;
        _labels = labelEmbeddings;
        _scale = scale;
        _bias = bias;
    }

    /// <summary>The labels, in order.</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>Embeds every prompt of <paramref name="prompts"/> with <paramref name="model"/> and ensembles them per label.</summary>
    public static ZeroShotClassifier Build(ClipOnnxModel model, PromptTemplateSet prompts)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(prompts);
        int classes = prompts.ClassNames.Count;
        int templates = prompts.Templates.Count;
        var texts = Enumerable.Range(0, classes).SelectMany(prompts.Prompts).ToList();
        var embedded = model.EmbedTexts(texts);
        int dim = embedded.Dim;
        var ensembled = new float[classes * dim];
        for (int c = 0; c < classes; c++)
        {
            var mean = ensembled.AsSpan(c * dim, dim);
            for (int t = 0; t < templates; t++)
            {
                var row = embedded.Row(c * templates + t);
                for (int i = 0; i < dim; i++) mean[i] += row[i];
            }

            // The prompt embeddings are unit-norm already, so only the mean needs renormalising.
            float norm = MathF.Sqrt(Dot(mean, mean));
            for (int i = 0; i < dim; i++) mean[i] /= Math.Max(norm, 1e-12f);
        }

        return new ZeroShotClassifier(prompts.ClassNames, new EmbeddingMatrix(ensembled, dim), model.Manifest.LogitScale, model.Manifest.LogitBias);
    }

    /// <summary>Classifies every row of <paramref name="images"/> (image embeddings from the same model).</summary>
    public IReadOnlyList<LabelPrediction> Classify(EmbeddingMatrix images)
    {
        ArgumentNullException.ThrowIfNull(images);
        var predictions = new LabelPrediction[images.Count];
        for (int n = 0; n < images.Count; n++)
        {
            var logits = new float[Labels.Count];
            for (int c = 0; c < Labels.Count; c++) logits[c] = (float)(_scale * _labels.Similarity(c, images.Row(n)) + (_bias ?? 0));
            int best = 0;
            for (int c = 1; c < logits.Length; c++) if (logits[c] > logits[best]) best = c;
            predictions[n] = new LabelPrediction(Labels[best], best, _bias is null ? Softmax(logits) : logits.Select(Sigmoid).ToArray());
        }

        return predictions;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        var exp = logits.Select(l => MathF.Exp(l - max)).ToArray();
        float sum = exp.Sum();
        return exp.Select(e => e / sum).ToArray();
    }
}
