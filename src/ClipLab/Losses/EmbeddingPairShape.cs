using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>The input check every image–text loss shares: two embedding matrices of the same [B, E] shape.</summary>
internal static class EmbeddingPairShape
{
    /// <summary>Throws <see cref="ArgumentException"/> naming both shapes unless the embeddings are both [B, E].</summary>
    public static void Check(Tensor imageEmb, Tensor textEmb)
    {
        ArgumentNullException.ThrowIfNull(imageEmb);
        ArgumentNullException.ThrowIfNull(textEmb);
        if (imageEmb.dim() != 2 || !imageEmb.shape.SequenceEqual(textEmb.shape))
        {
            throw new ArgumentException(
                $"Embeddings must both be [B, E]; got image [{string.Join(", ", imageEmb.shape)}] and text [{string.Join(", ", textEmb.shape)}].",
                nameof(textEmb));
        }
    }
}
