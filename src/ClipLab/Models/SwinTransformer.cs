using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Swin Transformer image tower (Liu et al. 2021): conv patch embedding (kernel = stride = patch, with bias) and
/// LayerNorm, hierarchical stages of shifted-window attention blocks joined by patch merging, final LayerNorm, global
/// average pooling and a bias-free projection into the joint embedding space.
/// </summary>
public sealed class SwinTransformer : VisionTower<SwinTransformerConfig>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming; the projection as in the ViT tower)
    private readonly Conv2d patch_embed;
    private readonly LayerNorm patch_norm;
    private readonly ModuleList<SwinStage> layers;
    private readonly LayerNorm norm;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a Swin tower from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public SwinTransformer(SwinTransformerConfig config, int embedDim) : base(nameof(SwinTransformer), config, embedDim)
    {
        patch_embed = nn.Conv2d(config.Channels, config.EmbedDim, config.PatchSize, stride: config.PatchSize);
        patch_norm = nn.LayerNorm(config.EmbedDim);
        layers = new ModuleList<SwinStage>();
        var rates = config.BlockDropPathRates();
        var first = 0;
        for (var stage = 0; stage < config.NumStages; stage++)
        {
            layers.Add(new SwinStage(config, stage, rates.Skip(first).Take(config.Depths[stage]).ToArray()));
            first += config.Depths[stage];
        }

        norm = nn.LayerNorm(config.NumFeatures);
        CreateProjection(config.NumFeatures);
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>The stages in order.</summary>
    public IReadOnlyList<SwinStage> Stages => [.. layers];

    /// <summary>Encodes <paramref name="images"/> [B, C, H, W] into pooled trunk features [B, TrunkDim] (before the projection).</summary>
    public override Tensor EncodeTrunk(Tensor images)
    {
        CheckImages(images);

        // The stages work channels-last ([B, H, W, C]) so LayerNorm and Linear act on the last axis without transposes.
        Tensor x;
        using (var patches = patch_embed.call(images))
        using (var channelsLast = patches.permute(0, 2, 3, 1))
        {
            x = patch_norm.call(channelsLast);
        }

        foreach (var stage in layers)
        {
            var next = stage.call(x);
            x.Dispose();
            x = next;
        }

        using (x)
        using (var normed = norm.call(x))
        {
            return normed.mean([1, 2]);
        }
    }

    private void InitializeParameters()
    {
        // Trunk as the original: Linear weights and bias tables ~ N(0, 0.02), zero biases, unit LayerNorms, default conv
        // init for the patch embedding. (The original's trunc_normal_ cuts at ±2, i.e. ±100σ, so it is this plain normal;
        // TorchSharp 0.107's nn.init.trunc_normal_ must not be used: it fills the tensor with the constant std.)
        // The projection ~ N(0, width^-0.5) like the ViT tower's, so both families start with features of the same scale.
        foreach (var stage in layers)
        {
            stage.InitializeParameters();
        }

        InitializeProjection();
    }
}
