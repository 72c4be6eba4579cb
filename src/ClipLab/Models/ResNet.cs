using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Bottleneck ResNet image tower (torchvision/timm <c>resnet50</c> layout): 7×7 stride-2 stem convolution + BatchNorm +
/// ReLU + 3×3 stride-2 max pool, four stages of <see cref="Bottleneck"/> blocks, global average pooling and a bias-free
/// projection <c>proj</c> into the embedding (the head).
/// </summary>
public sealed class ResNet : VisionTower<ResNetConfig>
{
#pragma warning disable IDE1006 // field names are state-dict keys (torchvision naming)
    private readonly Conv2d conv1;
    private readonly ChannelBatchNorm bn1;
    private readonly ModuleList<Bottleneck> layer1;
    private readonly ModuleList<Bottleneck> layer2;
    private readonly ModuleList<Bottleneck> layer3;
    private readonly ModuleList<Bottleneck> layer4;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a ResNet from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public ResNet(ResNetConfig config, int embedDim) : base(nameof(ResNet), config, embedDim)
    {
        var width = config.Width;
        conv1 = nn.Conv2d(config.Channels, width, 7, stride: 2, padding: 3, bias: false);
        bn1 = new ChannelBatchNorm(width);
        var stages = ResNetStages.Build(width, width, config.Layers, antiAliased: false);
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        CreateProjection(config.FeatureChannels);
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>Encodes <paramref name="images"/> [B, C, H, W] into pooled trunk features [B, TrunkDim] (before the projection).</summary>
    public override Tensor EncodeTrunk(Tensor images)
    {
        CheckImages(images);
        using var channelsLast = ResNetStages.ChannelsLastCopy(images, Config.ChannelsLast);
        var input = channelsLast ?? images;
        Tensor x;
        using (var stem = conv1.call(input))
        using (var activated = bn1.call(stem).relu_())
        {
            x = nn.functional.max_pool2d(activated, 3, stride: 2, padding: 1);
        }

        x = ResNetStages.Run([layer1, layer2, layer3, layer4], x);
        using (x)
        {
            return x.mean([2, 3]);
        }
    }

    private void InitializeParameters()
    {
        // torchvision/timm: He-normal (fan-out, ReLU gain) convolutions; BatchNorm gains 1 and shifts 0 (the defaults),
        // except the optional zero gain closing each block. The projection follows CLIP's N(0, features^-0.5).
        using var _ = no_grad();
        nn.init.kaiming_normal_(conv1.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        foreach (var block in new[] { layer1, layer2, layer3, layer4 }.SelectMany(stage => stage))
        {
            foreach (var conv in block.Convolutions())
            {
                nn.init.kaiming_normal_(conv.weight!, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
            }

            block.InitializeLastNorm(Config.ZeroInitLastNorm);
        }

        InitializeProjection();
    }
}
