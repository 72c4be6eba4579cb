namespace ClipLab.Models.Compute;

/// <summary>
/// Parameter and MAC formulas of the pre-norm <see cref="TransformerBlock"/>, shared by every tower built from it
/// (ViT, text transformer) so the arithmetic lives in one place.
/// </summary>
public static class TransformerCost
{
    /// <summary>Hidden width of the MLP, rounded as <see cref="TransformerBlock"/> rounds it.</summary>
    public static long MlpHidden(int width, double mlpRatio) => (long)Math.Round(width * mlpRatio);

    /// <summary>Parameters of one block: two LayerNorms, fused QKV, output projection and the two-layer MLP (all with biases).</summary>
    public static long BlockParameters(int width, double mlpRatio)
    {
        long w = width;
        long h = MlpHidden(width, mlpRatio);
        return 2 * (2 * w) + (3 * w * w + 3 * w) + (w * w + w) + (w * h + h) + (h * w + w);
    }

    /// <summary>
    /// MACs of one block over <paramref name="tokens"/> tokens: QKV, output projection and MLP matmuls plus the two attention
    /// products (tokens² × width each). Causal attention is counted in full, as the fused kernel computes it.
    /// </summary>
    public static double BlockMacs(long tokens, int width, double mlpRatio)
    {
        double n = tokens;
        double w = width;
        double h = MlpHidden(width, mlpRatio);
        return n * w * 3 * w + 2 * n * n * w + n * w * w + 2 * n * w * h;
    }
}
