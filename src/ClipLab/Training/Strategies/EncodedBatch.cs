using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training.Strategies;

/// <summary>
/// The model outputs a strategy's loss is computed from, row i belonging to sample i: L2-normalised image and text
/// embeddings, and per extra view the output the strategy makes of it (SLIP: SimCLR head outputs).
/// </summary>
/// <param name="Image">Image embeddings [B, E].</param>
/// <param name="Text">Text embeddings [B, E].</param>
/// <param name="Views">Outputs of the extra views, each [B, D] (empty when the strategy has none).</param>
public sealed record EncodedBatch(Tensor Image, Tensor Text, IReadOnlyList<Tensor> Views)
{
    /// <summary>
    /// The outputs of consecutive slices of a batch, joined back into the whole batch (in the caller's dispose scope).
    /// Gradients flow into every part that carries them, so a freshly encoded slice can stand among cached ones.
    /// </summary>
    public static EncodedBatch Concat(IReadOnlyList<EncodedBatch> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("no parts to join", nameof(parts));
        int views = parts[0].Views.Count;
        if (parts.Any(p => p.Views.Count != views)) throw new ArgumentException("parts have different numbers of views", nameof(parts));
        return new EncodedBatch(
            cat(parts.Select(p => p.Image).ToArray(), 0),
            cat(parts.Select(p => p.Text).ToArray(), 0),
            Enumerable.Range(0, views).Select(v => cat(parts.Select(p => p.Views[v]).ToArray(), 0)).ToArray());
    }
}
