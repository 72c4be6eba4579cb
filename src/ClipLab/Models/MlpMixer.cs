using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// MLP-Mixer image tower (Tolstikhin et al. 2021): conv patch embedding (kernel = stride = patch, with bias),
/// <see cref="MixerBlock"/>s, a final LayerNorm, global average pooling over patches and a bias-free projection.
/// </summary>
public sealed class MlpMixer : VisionTower<MlpMixerConfig>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly Conv2d stem;
    private readonly ModuleList<MixerBlock> blocks;
    private readonly LayerNorm norm;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises an MLP-Mixer from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public MlpMixer(MlpMixerConfig config, int embedDim) : base(nameof(MlpMixer), config, embedDim)
    {
        stem = nn.Conv2d(config.Channels, config.Width, config.PatchSize, stride: config.PatchSize);
        blocks = new ModuleList<MixerBlock>();
        for (var i = 0; i < config.Depth; i++)
        {
            blocks.Add(new MixerBlock(config.NumPatches, config.Width, config.TokenMlpDim, config.ChannelMlpDim));
        }

        norm = nn.LayerNorm(config.Width, eps: 1e-6);
        CreateProjection(config.Width);
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>Encodes <paramref name="images"/> [B, C, H, W] into pooled trunk features [B, TrunkDim] (before the projection).</summary>
    public override Tensor EncodeTrunk(Tensor images)
    {
        CheckImages(images);

        // [B, W, gh, gw] -> [B, N, W] tokens (row-major patch order).
        Tensor x;
        using (var patches = stem.call(images))
        using (var flat = patches.flatten(2))
        using (var seq = flat.transpose(1, 2))
        {
            x = seq.contiguous();
        }

        foreach (var block in blocks)
        {
            var next = block.call(x);
            x.Dispose();
            x = next;
        }

        using (x)
        using (var normed = norm.call(x))
        {
            return normed.mean([1]);
        }
    }

    private void InitializeParameters()
    {
        // timm's Mixer init: LeCun-normal stem (untruncated here) with zero bias, Xavier-uniform MLPs with zero biases; the CLIP projection
        // ~ N(0, width^-0.5) as the ViT's.
        using var _ = no_grad();
        var fanIn = stem.weight!.numel() / stem.weight.shape[0];
        nn.init.normal_(stem.weight, 0, Math.Sqrt(1.0 / fanIn));
        stem.bias!.zero_();
        foreach (var block in blocks)
        {
            block.InitializeParameters();
        }

        InitializeProjection();
    }
}
