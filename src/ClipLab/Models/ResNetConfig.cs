using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Configuration of a bottleneck ResNet image tower (He et al. 2016) as torchvision/timm build <c>resnet50</c>: 7×7 stride-2
/// stem + 3×3 stride-2 max pool, four stages of <see cref="Bottleneck"/> blocks (stride on the 3×3 convolution, "v1.5"),
/// BatchNorm, global average pooling and a bias-free projection into the embedding.
/// </summary>
public sealed record ResNetConfig : VisionTowerConfig
{
    /// <summary>First-stage width of the standard network; stage i has <c>width·2^i</c> planes and 4× as many output channels.</summary>
    public const int StandardWidth = 64;

    /// <summary>Number of residual stages (each after the first halves the resolution).</summary>
    public const int StageCount = 4;

    /// <summary>
    /// Smallest batch that <see cref="ChannelsLast"/> converts: channels-last forward+backward of the 32 px towers was
    /// 15–30% faster at batch 256, mixed at 32–64 and ~40% slower at batch 8 (per-operator overhead dominates there).
    /// </summary>
    public const int ChannelsLastMinBatch = 128;

    /// <inheritdoc/>
    public override int ImageSize { get; init; } = 224;

    /// <inheritdoc/>
    public override int Channels { get; init; } = 3;

    /// <summary>Bottleneck blocks per stage; ResNet-50 is [3, 4, 6, 3], ResNet-101 [3, 4, 23, 3].</summary>
    public ValueList<int> Layers { get; init; } = [3, 4, 6, 3];

    /// <summary>
    /// Scales every width (stem and stages) of the standard network; <see cref="Width"/> = round(64 × multiplier). Below 1
    /// it gives the small variants, e.g. 0.5 halves all widths and roughly quarters the parameters and MACs.
    /// </summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>
    /// Whether each block's last BatchNorm gain starts at zero, so every residual branch starts silent and the network
    /// starts as a shallow stem-plus-shortcuts path (Goyal et al. 2017; timm's default <c>zero_init_last</c>).
    /// </summary>
    public bool ZeroInitLastNorm { get; init; } = true;

    /// <summary>
    /// Whether batches of at least <see cref="ResNetConfig.ChannelsLastMinBatch"/> images run in channels-last (NHWC) memory
    /// layout: the input is converted inside forward and the convolutions keep that layout. Measured faster for the 32 px
    /// towers at training batch sizes and slower at batch 8; the weights stay in the default layout so checkpoints are unchanged.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>Stem and first-stage width after the multiplier (derived, so not serialised).</summary>
    [JsonIgnore]
    public int Width => (int)Math.Round(StandardWidth * WidthMultiplier);

    /// <summary>Channels of the pooled feature, i.e. the input of the projection (derived, so not serialised).</summary>
    [JsonIgnore]
    public int FeatureChannels => (Width << (StageCount - 1)) * Bottleneck.Expansion;

    /// <summary>Pooled trunk features before the projection: the globally averaged last stage: <see cref="FeatureChannels"/>.</summary>
    [JsonIgnore]
    public override int TrunkWidth => FeatureChannels;

    /// <inheritdoc/>
    public override VisionTower Build(int embedDim) => new ResNet(this, embedDim);

    /// <inheritdoc/>
    public override TowerCost Cost(int embedDim)
    {
        long width = Width;
        // Stem: 7×7/2 convolution (padding 3) + BatchNorm, then a 3×3/2 max pool (padding 1), which costs no MACs.
        long stemSide = ResNetCost.ConvOutputSide(ImageSize, 7, 2, 3);
        long stemParameters = ResNetCost.ConvParameters(Channels, width, 7) + ResNetCost.NormParameters(width);
        double stemMacs = (double)stemSide * stemSide * ResNetCost.ConvParameters(Channels, width, 7);
        long pooledSide = ResNetCost.ConvOutputSide(stemSide, 3, 2, 1);
        var stages = ResNetCost.Stages(pooledSide, width, Width, Layers, antiAliased: false);
        long head = stages.Channels * embedDim; // global average pool (free) + bias-free projection
        return new TowerCost(stemParameters + stages.Parameters, head, stemMacs + stages.Macs, head);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        const string owner = nameof(ResNetConfig);
        // The trunk downsamples by 32; smaller images would leave the last stages nothing to see.
        ConfigGuard.InRange(owner, nameof(ImageSize), ImageSize, 32);
        ConfigGuard.InRange(owner, nameof(Channels), Channels, 1);
        ConfigGuard.ListOf(owner, nameof(Layers), Layers, StageCount, 1);
        ConfigGuard.InRange(owner, nameof(WidthMultiplier), WidthMultiplier, 1.0 / StandardWidth, 64.0);
    }
}
