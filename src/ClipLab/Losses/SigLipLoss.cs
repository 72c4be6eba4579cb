using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>
/// Pairwise sigmoid loss of SigLIP (Zhai et al. 2023): every image–text pair of the batch is an independent binary
/// classification, positive on the diagonal and negative elsewhere, so no softmax normalises over the batch.
/// </summary>
public static class SigLipLoss
{
    /// <summary>Initial log temperature t′ of the SigLIP paper: exp(t′) = 10.</summary>
    public static readonly double InitLogitScale = Math.Log(10.0);

    /// <summary>Initial logit bias b of the SigLIP paper; with many negatives per positive it keeps the initial loss small.</summary>
    public const double InitLogitBias = -10.0;

    /// <summary>
    /// Computes <c>−(1/B) Σᵢ Σⱼ log σ(zᵢⱼ · (exp(t′)·xᵢ·yⱼ + b))</c> with <c>zᵢᵢ = +1</c> and <c>zᵢⱼ = −1</c> for i ≠ j:
    /// the mean over the batch rows of each row's summed pair losses, as big_vision's SigLIP trainer.
    /// Differentiable w.r.t. all inputs.
    /// </summary>
    /// <param name="imageEmb">L2-normalised image embeddings [B, E].</param>
    /// <param name="textEmb">L2-normalised text embeddings [B, E] (row i pairs with image i).</param>
    /// <param name="logitScale">Scalar log temperature t′ (the model's parameter, not its exponential).</param>
    /// <param name="logitBias">Scalar logit bias b.</param>
    /// <returns>Scalar loss tensor.</returns>
    public static Tensor Compute(Tensor imageEmb, Tensor textEmb, Tensor logitScale, Tensor logitBias)
    {
        ArgumentNullException.ThrowIfNull(logitScale);
        ArgumentNullException.ThrowIfNull(logitBias);
        EmbeddingPairShape.Check(imageEmb, textEmb);

        var batch = imageEmb.shape[0];
        using var scale = logitScale.exp();
        using var textT = textEmb.t();
        using var similarity = imageEmb.matmul(textT);
        using var scaled = similarity * scale;
        // Explicit Scalars held until after each call, not implicit ones (see Models.KeptScalars).
        using var logits = scaled.add(logitBias, KeptScalars.One);
        // z = 2·I − 1: +1 for the matching pair, −1 for every other pair.
        using var eye = torch.eye(batch, dtype: logits.dtype, device: logits.device);
        using Scalar two = 2.0.ToScalar(), one = 1.0.ToScalar(), negativeBatch = (-(double)batch).ToScalar();
        using var twice = eye.mul(two);
        using var labels = twice.sub(one);
        using var signed = labels * logits;
        using var logSigmoid = nn.functional.logsigmoid(signed);
        using var total = logSigmoid.sum();
        return total.div(negativeBatch);
    }
}
