using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>Configuration of a ViT image tower (Dosovitskiy et al. 2021, as used by CLIP).</summary>
public sealed record VisionTransformerConfig : VisionTowerConfig, ITokenMaskingTowerConfig
{
    /// <summary>Pooling choices: <c>token</c> = class token, <c>mean</c> = average of the patch tokens.</summary>
    public static IReadOnlyList<string> PoolChoices { get; } = ["token", "mean"];

    /// <inheritdoc/>
    public override int ImageSize { get; init; } = 224;

    /// <summary>Side length in pixels of the square patches (patch-embedding kernel and stride).</summary>
    public int PatchSize { get; init; } = 16;

    /// <inheritdoc/>
    public override int Channels { get; init; } = 3;

    /// <summary>Residual stream width.</summary>
    public int Width { get; init; } = 768;

    /// <summary>Number of transformer blocks.</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Number of attention heads; must divide <see cref="Width"/>.</summary>
    public int Heads { get; init; } = 12;

    /// <summary>MLP hidden width as a multiple of <see cref="Width"/>.</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Pooling of the final tokens, one of <see cref="PoolChoices"/>.</summary>
    public string Pool { get; init; } = "token";

    /// <summary>
    /// Whether a LayerNorm normalises the token sequence before the first block, as in CLIP and open_clip
    /// (<c>ln_pre</c>); false (ClipLab's default, so existing models are unchanged) feeds the embeddings in directly.
    /// </summary>
    public bool PreNorm { get; init; }

    /// <summary>Number of patch tokens per image (derived, so not serialised).</summary>
    [JsonIgnore]
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Pooled trunk features before the projection: the class token or the mean of the patch tokens, after <c>ln_post</c>: <see cref="Width"/>.</summary>
    [JsonIgnore]
    public override int TrunkWidth => Width;

    /// <inheritdoc/>
    public override VisionTower Build(int embedDim) => new VisionTransformer(this, embedDim);

    /// <inheritdoc/>
    public override TowerCost Cost(int embedDim) => Cost(embedDim, NumPatches);

    /// <summary>Cost when only <paramref name="keptPatches"/> patch tokens enter the blocks (FLIP masking); the class token is always kept.</summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    /// <param name="keptPatches">Patch tokens kept, in [0, <see cref="NumPatches"/>].</param>
    public TowerCost Cost(int embedDim, int keptPatches)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keptPatches);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keptPatches, NumPatches);
        long w = Width;
        long patchEmbed = (long)Channels * PatchSize * PatchSize * w; // bias-free convolution
        long preNorm = PreNorm ? 2 * w : 0;
        long trunkParameters = patchEmbed + w + (NumPatches + 1L) * w + preNorm + Depth * TransformerCost.BlockParameters(Width, MlpRatio) + 2 * w;
        // The patch embedding runs on every patch; only the kept ones (plus the class token) enter the blocks.
        double trunkMacs = (double)NumPatches * patchEmbed + Depth * TransformerCost.BlockMacs(keptPatches + 1L, Width, MlpRatio);
        return new TowerCost(trunkParameters, w * embedDim, trunkMacs, (double)w * embedDim);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        const string owner = nameof(VisionTransformerConfig);
        ConfigGuard.InRange(owner, nameof(ImageSize), ImageSize, 1);
        ConfigGuard.InRange(owner, nameof(PatchSize), PatchSize, 1, ImageSize);
        ConfigGuard.DivisibleBy(owner, nameof(ImageSize), ImageSize, nameof(PatchSize), PatchSize);
        ConfigGuard.InRange(owner, nameof(Channels), Channels, 1);
        ConfigGuard.TransformerShape(owner, Width, Depth, Heads, MlpRatio);
        ConfigGuard.OneOf(owner, nameof(Pool), Pool, (IReadOnlyCollection<string>)PoolChoices);
    }
}
