using ClipLab.Models;
using ClipLab.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>
/// SigLIP's pairwise sigmoid loss over the global batch of a data-parallel job: each rank all-gathers the text
/// embeddings and scores its own images against every text. Each rank's loss is normalised by its own rows, so the mean
/// over ranks equals <see cref="SigLipLoss"/> on the whole global batch (−(1/G) Σ over all G×G pairs).
/// </summary>
public static class GlobalSigLipLoss
{
    /// <summary>This rank's share of the global loss; with one rank it is exactly <see cref="SigLipLoss.Compute"/>.</summary>
    public static Tensor Compute(Tensor imageEmb, Tensor textEmb, Tensor logitScale, Tensor logitBias, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return SigLipLoss.Compute(imageEmb, textEmb, logitScale, logitBias);
        ArgumentNullException.ThrowIfNull(logitScale);
        ArgumentNullException.ThrowIfNull(logitBias);
        EmbeddingPairShape.Check(imageEmb, textEmb);
        using var scope = torch.NewDisposeScope();
        long rows = imageEmb.shape[0];
        var allTexts = GatherWithGradient.Apply(communicator, textEmb);
        // Scalars held until after each call (see Models.KeptScalars).
        using Scalar two = 2.0.ToScalar(), one = 1.0.ToScalar(), negativeRows = (-(double)rows).ToScalar();
        var logits = (imageEmb.matmul(allTexts.t()) * logitScale.exp()).add(logitBias, KeptScalars.One);
        // +1 where local image i meets its own text (global column rank·B + i), −1 elsewhere.
        var eye = torch.eye(rows, logits.shape[1], dtype: logits.dtype, device: logits.device).roll(communicator.Rank * rows, 1);
        var labels = eye.mul(two).sub(one);
        var total = nn.functional.logsigmoid(labels * logits).sum();
        return total.div(negativeRows).MoveToOuterDisposeScope();
    }
}
