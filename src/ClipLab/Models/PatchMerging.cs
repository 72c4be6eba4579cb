using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Swin downsampling between stages: each 2×2 neighbourhood of a grid [B, H, W, C] is concatenated into one token of
/// width 4C, normalised, and reduced by a bias-free Linear to 2C, giving [B, H/2, W/2, 2C].
/// </summary>
public sealed class PatchMerging : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly LayerNorm norm;
    private readonly Linear reduction;
#pragma warning restore IDE1006

    /// <summary>Creates a merging layer for input width <paramref name="dim"/> (output width 2·dim).</summary>
    /// <param name="dim">Input token width C.</param>
    public PatchMerging(int dim) : base(nameof(PatchMerging))
    {
        norm = nn.LayerNorm(4L * dim);
        reduction = nn.Linear(4L * dim, 2L * dim, hasBias: false);
        RegisterComponents();
    }

    /// <summary>Initialises the reduction like the original: N(0, 0.02); the LayerNorm keeps unit gain.</summary>
    public void InitializeParameters()
    {
        using var _ = no_grad();
        nn.init.normal_(reduction.weight!, 0, 0.02);
    }

    /// <summary>Merges 2×2 neighbourhoods of <paramref name="x"/> [B, H, W, C] (H, W even).</summary>
    public override Tensor forward(Tensor x)
    {
        var (b, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3]);
        // [B, H/2, 2, W/2, 2, C] -> [B, H/2, W/2, 2 (col), 2 (row), C]: the 4C channels are ordered (row 0, col 0),
        // (row 1, col 0), (row 0, col 1), (row 1, col 1) as timm's x0..x3, so weights are interchangeable.
        using var split = x.view(b, h / 2, 2, w / 2, 2, c);
        using var ordered = split.permute(0, 1, 3, 4, 2, 5);
        using var merged = ordered.reshape(b, h / 2, w / 2, 4 * c);
        using var normed = norm.call(merged);
        return reduction.call(normed);
    }
}
