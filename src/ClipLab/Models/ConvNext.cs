using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// ConvNeXt image tower (Liu et al. 2022): patchify stem (conv + channels-first LayerNorm), stages of
/// <see cref="ConvNextBlock"/>s separated by downsampling layers (LayerNorm + 2×2 stride-2 conv), global average pooling,
/// a final LayerNorm and a bias-free projection into the embedding space.
/// </summary>
/// <remarks>
/// Activations stay in the default contiguous (NCHW) memory format. Channels-last (NHWC strides for the input and every
/// conv weight, which makes the blocks' permutes free views) was measured and not adopted, as it gained nothing
/// consistent. Forward + backward at batch 8, NCHW vs channels-last: one thread, median CPU time, convnext-nano-32
/// 24.2 vs 26.1 ms, convnext-t 3.40 vs 3.37 s; two threads, median wall time, convnext-nano-32 78 vs 88 ms, convnext-t
/// 6.56 vs 6.19 s (shared, noisy machine). The pointwise Linear layers dominate (8·C² vs k²·C MACs per pixel) and do not
/// care about the layout.
/// </remarks>
public sealed class ConvNext : VisionTower<ConvNextConfig>
{
#pragma warning disable IDE1006 // field names are state-dict keys (official ConvNeXt naming)
    // downsample_layers[0] is the stem; downsample_layers[i] precedes stages[i].
    private readonly ModuleList<Sequential> downsample_layers;
    private readonly ModuleList<ModuleList<ConvNextBlock>> stages;
    private readonly LayerNorm norm;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a ConvNeXt from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public ConvNext(ConvNextConfig config, int embedDim) : base(nameof(ConvNext), config, embedDim)
    {
        downsample_layers = new ModuleList<Sequential>();
        downsample_layers.Add(nn.Sequential(
            ("0", nn.Conv2d(config.Channels, config.Dims[0], config.PatchSize, stride: config.PatchSize)),
            ("1", new ChannelsFirstLayerNorm(config.Dims[0]))));
        for (var i = 1; i < config.Stages; i++)
        {
            downsample_layers.Add(nn.Sequential(
                ("0", new ChannelsFirstLayerNorm(config.Dims[i - 1])),
                ("1", nn.Conv2d(config.Dims[i - 1], config.Dims[i], 2, stride: 2))));
        }

        var rates = config.BlockDropPathRates;
        var block = 0;
        stages = new ModuleList<ModuleList<ConvNextBlock>>();
        for (var i = 0; i < config.Stages; i++)
        {
            var stage = new ModuleList<ConvNextBlock>();
            for (var j = 0; j < config.Depths[i]; j++)
            {
                stage.Add(new ConvNextBlock(config.Dims[i], config.KernelSize, config.LayerScaleInit, rates[block++]));
            }

            stages.Add(stage);
        }

        norm = nn.LayerNorm(config.Dims[^1], eps: 1e-6);
        CreateProjection(config.Dims[^1]);
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>Encodes <paramref name="images"/> [B, C, H, W] into pooled trunk features [B, TrunkDim] (before the projection).</summary>
    public override Tensor EncodeTrunk(Tensor images)
    {
        CheckImages(images);

        var x = images.alias(); // a handle of our own, so the loop below may dispose every stage's input
        for (var i = 0; i < Config.Stages; i++)
        {
            var next = downsample_layers[i].call(x);
            x.Dispose();
            x = next;
            foreach (var block in stages[i])
            {
                next = block.call(x);
                x.Dispose();
                x = next;
            }
        }

        using (x)
        using (var pooled = x.mean([2, 3]))
        {
            return norm.call(pooled);
        }
    }

    private void InitializeParameters()
    {
        // timm's ConvNeXt init (N(0, 0.02²), zero biases; see ConvNextBlock.InitializeParameters) for the trunk; the CLIP projection ~ N(0, width^-0.5) as the ViT's.
        using var _ = no_grad();
        foreach (var layer in downsample_layers)
        {
            foreach (var conv in layer.modules().OfType<Conv2d>())
            {
                nn.init.normal_(conv.weight!, 0, 0.02);
                conv.bias!.zero_();
            }
        }

        foreach (var stage in stages)
        {
            foreach (var block in stage)
            {
                block.InitializeParameters();
            }
        }

        InitializeProjection();
    }
}
