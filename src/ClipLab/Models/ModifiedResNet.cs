using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// CLIP's modified ResNet image tower (Radford et al. 2021): a stem of three 3×3 convolutions (width/2 stride 2,
/// width/2, width; each + BatchNorm + ReLU) and a 2×2 average pool instead of one 7×7 convolution and a max pool;
/// anti-aliased <see cref="Bottleneck"/> stages (average pooling instead of strided convolutions); and an
/// <see cref="AttentionPool2d"/> head (<c>attnpool</c>) instead of global average pooling and a linear projection.
/// </summary>
public sealed class ModifiedResNet : VisionTower<ModifiedResNetConfig>
{
#pragma warning disable IDE1006 // field names are state-dict keys (open_clip naming)
    private readonly Conv2d conv1;
    private readonly ChannelBatchNorm bn1;
    private readonly Conv2d conv2;
    private readonly ChannelBatchNorm bn2;
    private readonly Conv2d conv3;
    private readonly ChannelBatchNorm bn3;
    private readonly ModuleList<Bottleneck> layer1;
    private readonly ModuleList<Bottleneck> layer2;
    private readonly ModuleList<Bottleneck> layer3;
    private readonly ModuleList<Bottleneck> layer4;
    private readonly AttentionPool2d attnpool;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a modified ResNet from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public ModifiedResNet(ModifiedResNetConfig config, int embedDim) : base(nameof(ModifiedResNet), config, embedDim)
    {
        var width = config.Width;
        var half = width / 2;
        conv1 = nn.Conv2d(config.Channels, half, 3, stride: 2, padding: 1, bias: false);
        bn1 = new ChannelBatchNorm(half);
        conv2 = nn.Conv2d(half, half, 3, padding: 1, bias: false);
        bn2 = new ChannelBatchNorm(half);
        conv3 = nn.Conv2d(half, width, 3, padding: 1, bias: false);
        bn3 = new ChannelBatchNorm(width);
        var stages = ResNetStages.Build(width, width, config.Layers, antiAliased: true);
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        attnpool = new AttentionPool2d(config.GridSide, config.FeatureChannels, config.Heads, embedDim);
        RegisterComponents();

        // CLIP keeps PyTorch's default convolution init; the pool initialises itself; the blocks optionally start silent.
        foreach (var block in new[] { layer1, layer2, layer3, layer4 }.SelectMany(stage => stage))
        {
            block.InitializeLastNorm(config.ZeroInitLastNorm);
        }
    }

    /// <summary>
    /// Encodes <paramref name="images"/> [B, C, H, W] into trunk features [B, FeatureChannels]: the attention pool's read-out
    /// before its output projection, which <see cref="Project"/> applies.
    /// </summary>
    public override Tensor EncodeTrunk(Tensor images)
    {
        CheckImages(images);
        using var channelsLast = ResNetStages.ChannelsLastCopy(images, Config.ChannelsLast);
        var input = channelsLast ?? images;
        Tensor x;
        using (var c1 = conv1.call(input))
        using (var a1 = bn1.call(c1).relu_())
        using (var c2 = conv2.call(a1))
        using (var a2 = bn2.call(c2).relu_())
        using (var c3 = conv3.call(a2))
        using (var a3 = bn3.call(c3).relu_())
        {
            x = nn.functional.avg_pool2d(a3, 2);
        }

        x = ResNetStages.Run([layer1, layer2, layer3, layer4], x);
        using (x)
        {
            return attnpool.Pool(x);
        }
    }

    /// <summary>The attention pool's output projection <c>c_proj</c>: [B, FeatureChannels] → [B, OutputDim].</summary>
    public override Tensor Project(Tensor trunkFeatures) => attnpool.Project(trunkFeatures);
}
