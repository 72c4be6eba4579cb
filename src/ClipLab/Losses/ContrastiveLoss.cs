using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>Symmetric InfoNCE loss of CLIP (Radford et al. 2021).</summary>
public static class ContrastiveLoss
{
    /// <summary>
    /// Computes <c>(CE(s·I·Tᵀ, arange) + CE(s·T·Iᵀ, arange)) / 2</c> with <c>s = exp(logitScale)</c>: pair i is the positive
    /// for row i and column i. Differentiable w.r.t. all inputs.
    /// </summary>
    /// <param name="imageEmb">L2-normalised image embeddings [B, E].</param>
    /// <param name="textEmb">L2-normalised text embeddings [B, E] (row i pairs with image i).</param>
    /// <param name="logitScale">Scalar log of the logit scale (the model's parameter, not its exponential).</param>
    /// <returns>Scalar loss tensor.</returns>
    public static Tensor Compute(Tensor imageEmb, Tensor textEmb, Tensor logitScale)
    {
        ArgumentNullException.ThrowIfNull(logitScale);
        EmbeddingPairShape.Check(imageEmb, textEmb);

        var batch = imageEmb.shape[0];
        using var scale = logitScale.exp();
        using var textT = textEmb.t();
        using var similarity = imageEmb.matmul(textT);
        using var logits = similarity * scale;
        // The text-to-image logits are the transpose; cross_entropy accepts the strided view without a copy of our own.
        using var logitsT = logits.t();
        using Scalar batchScalar = batch.ToScalar(); // held until after the call (see KeptScalars)
        using var labels = arange(KeptScalars.Zero, batchScalar, KeptScalars.One, dtype: ScalarType.Int64, device: imageEmb.device);
        using var imageLoss = nn.functional.cross_entropy(logits, labels);
        using var textLoss = nn.functional.cross_entropy(logitsT, labels);
        // Explicit Scalars held until after each call, not implicit ones (see Models.KeptScalars).
        using var sum = imageLoss.add(textLoss, KeptScalars.One);
        using Scalar two = 2.0.ToScalar();
        return sum.div(two);
    }
}
