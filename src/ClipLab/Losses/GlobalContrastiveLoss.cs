using ClipLab.Models;
using ClipLab.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>
/// CLIP's symmetric InfoNCE over the global batch of a data-parallel job, as open_clip's <c>local_loss</c> with
/// <c>gather_with_grad</c>: each rank all-gathers both embeddings and scores its own rows against every column, so the
/// logits are [local, global] (memory linear in the per-rank batch). The mean of the ranks' losses equals
/// <see cref="ContrastiveLoss"/> on the whole global batch, and so do the gradients once they are averaged over ranks.
/// </summary>
public static class GlobalContrastiveLoss
{
    /// <summary>This rank's share of the global loss; with one rank it is exactly <see cref="ContrastiveLoss.Compute"/>.</summary>
    /// <param name="imageEmb">This rank's L2-normalised image embeddings [B, E].</param>
    /// <param name="textEmb">This rank's L2-normalised text embeddings [B, E].</param>
    /// <param name="logitScale">Scalar log of the logit scale.</param>
    /// <param name="communicator">The job's ranks; every rank must pass the same B.</param>
    public static Tensor Compute(Tensor imageEmb, Tensor textEmb, Tensor logitScale, ICommunicator communicator)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return ContrastiveLoss.Compute(imageEmb, textEmb, logitScale);
        ArgumentNullException.ThrowIfNull(logitScale);
        EmbeddingPairShape.Check(imageEmb, textEmb);
        using var scope = torch.NewDisposeScope();
        long rows = imageEmb.shape[0];
        var allImages = GatherWithGradient.Apply(communicator, imageEmb);
        var allTexts = GatherWithGradient.Apply(communicator, textEmb);
        var scale = logitScale.exp();
        var imageLogits = imageEmb.matmul(allTexts.t()) * scale;
        var textLogits = textEmb.matmul(allImages.t()) * scale;
        // Local row i pairs with global column rank·B + i.
        using Scalar first = (communicator.Rank * rows).ToScalar(), end = ((communicator.Rank + 1) * rows).ToScalar(); // held until after the call
        var labels = arange(first, end, KeptScalars.One, dtype: ScalarType.Int64, device: imageEmb.device);
        // Scalars held until after each call (see Models.KeptScalars).
        using Scalar two = 2.0.ToScalar();
        var sum = nn.functional.cross_entropy(imageLogits, labels).add(nn.functional.cross_entropy(textLogits, labels), KeptScalars.One);
        return sum.div(two).MoveToOuterDisposeScope();
    }
}
