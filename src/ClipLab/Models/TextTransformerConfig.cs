using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>Configuration of the causal text transformer (CLIP text tower).</summary>
public sealed record TextTransformerConfig
{
    /// <summary>Tokenizer vocabulary size.</summary>
    public int VocabSize { get; init; } = 8192;

    /// <summary>Maximum number of tokens per caption (size of the positional embedding).</summary>
    public int ContextLength { get; init; } = 16;

    /// <summary>Residual stream width.</summary>
    public int Width { get; init; } = 512;

    /// <summary>Number of transformer blocks.</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Number of attention heads; must divide <see cref="Width"/>.</summary>
    public int Heads { get; init; } = 8;

    /// <summary>MLP hidden width as a multiple of <see cref="Width"/>.</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Token id of end-of-text; the hidden state at its first occurrence is the caption feature.</summary>
    public int EndOfTextId { get; init; } = 3;

    /// <summary>Token id of padding (after end-of-text).</summary>
    public int PadId { get; init; }

    /// <summary>
    /// Analytic parameter count and forward multiply–accumulates per caption of <see cref="ContextLength"/> tokens for the
    /// tower built with <paramref name="embedDim"/> outputs (see <see cref="TowerCost"/>). Only the pooled end-of-text token
    /// is normalised and projected, so the head costs width × embedDim.
    /// </summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    public TowerCost Cost(int embedDim)
    {
        long w = Width;
        long trunkParameters = (long)VocabSize * w + (long)ContextLength * w + Depth * TransformerCost.BlockParameters(Width, MlpRatio) + 2 * w;
        double trunkMacs = Depth * TransformerCost.BlockMacs(ContextLength, Width, MlpRatio);
        return new TowerCost(trunkParameters, w * embedDim, trunkMacs, (double)w * embedDim);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field, its value and the valid range.</summary>
    public void Validate()
    {
        const string owner = nameof(TextTransformerConfig);
        ConfigGuard.InRange(owner, nameof(VocabSize), VocabSize, 2);
        ConfigGuard.InRange(owner, nameof(ContextLength), ContextLength, 1);
        ConfigGuard.TransformerShape(owner, Width, Depth, Heads, MlpRatio);
        ConfigGuard.InRange(owner, nameof(EndOfTextId), EndOfTextId, 0, VocabSize - 1);
        ConfigGuard.InRange(owner, nameof(PadId), PadId, 0, VocabSize - 1);
    }
}
