using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Configuration of CLIP's modified ResNet image tower (Radford et al. 2021; open_clip's <c>ModifiedResNet</c>): a stem of
/// three 3×3 convolutions + 2×2 average pool, anti-aliased <see cref="Bottleneck"/> blocks (stride-1 convolutions, average
/// pooling where torchvision strides) and an <see cref="AttentionPool2d"/> head.
/// </summary>
public sealed record ModifiedResNetConfig : VisionTowerConfig
{
    /// <summary>Total downsampling of the trunk: stem convolution 2, stem pool 2, three strided stages 2 each.</summary>
    public const int TotalStride = 32;

    /// <inheritdoc/>
    public override int ImageSize { get; init; } = 224;

    /// <inheritdoc/>
    public override int Channels { get; init; } = 3;

    /// <summary>Bottleneck blocks per stage; CLIP RN50 is [3, 4, 6, 3], RN101 [3, 4, 23, 3], RN50x4 [4, 6, 10, 6].</summary>
    public ValueList<int> Layers { get; init; } = [3, 4, 6, 3];

    /// <summary>
    /// Scales every width of the standard network; <see cref="Width"/> = round(64 × multiplier) (CLIP's RN50x4 is 1.25,
    /// i.e. width 80). Below 1 it gives the small variants.
    /// </summary>
    public double WidthMultiplier { get; init; } = 1.0;

    /// <summary>Width of each attention head of the pool; the head count is <see cref="FeatureChannels"/> / this (CLIP: 64).</summary>
    public int HeadWidth { get; init; } = 64;

    /// <summary>Whether each block's last BatchNorm gain starts at zero, so residual branches start silent (as CLIP initialises).</summary>
    public bool ZeroInitLastNorm { get; init; } = true;

    /// <summary>
    /// Whether batches of at least <see cref="ResNetConfig.ChannelsLastMinBatch"/> images run in channels-last (NHWC) memory
    /// layout: the input is converted inside forward and the convolutions keep that layout. Measured faster for the 32 px
    /// towers at training batch sizes and slower at batch 8; the weights stay in the default layout so checkpoints are unchanged.
    /// </summary>
    public bool ChannelsLast { get; init; }

    /// <summary>First-stage width after the multiplier; the stem runs at width/2, width/2, width (derived, so not serialised).</summary>
    [JsonIgnore]
    public int Width => (int)Math.Round(ResNetConfig.StandardWidth * WidthMultiplier);

    /// <summary>Channels of the final feature map, the attention-pool width: 32 × <see cref="Width"/> (derived).</summary>
    [JsonIgnore]
    public int FeatureChannels => (Width << (ResNetConfig.StageCount - 1)) * Bottleneck.Expansion;

    /// <summary>Attention heads of the pool (derived).</summary>
    [JsonIgnore]
    public int Heads => FeatureChannels / HeadWidth;

    /// <summary>Side of the final feature map, image size / 32; its square plus one is the pool's token count (derived).</summary>
    [JsonIgnore]
    public int GridSide => ImageSize / TotalStride;

    /// <summary>Pooled trunk features before the projection: the attention pool's output before its <c>c_proj</c>: <see cref="FeatureChannels"/>.</summary>
    [JsonIgnore]
    public override int TrunkWidth => FeatureChannels;

    /// <inheritdoc/>
    public override VisionTower Build(int embedDim) => new ModifiedResNet(this, embedDim);

    /// <inheritdoc/>
    public override TowerCost Cost(int embedDim)
    {
        long half = Width / 2;
        long width = Width;
        // Stem: 3×3/2, 3×3, 3×3 convolutions (padding 1) with BatchNorms, all at half the image side, then a 2×2 average pool.
        long stemSide = ResNetCost.ConvOutputSide(ImageSize, 3, 2, 1);
        long stemConvParameters = ResNetCost.ConvParameters(Channels, half, 3) + ResNetCost.ConvParameters(half, half, 3)
            + ResNetCost.ConvParameters(half, width, 3);
        long stemParameters = stemConvParameters
            + ResNetCost.NormParameters(half) * 2 + ResNetCost.NormParameters(width);
        double stemMacs = (double)stemSide * stemSide * stemConvParameters;
        var stages = ResNetCost.Stages(stemSide / 2, width, Width, Layers, antiAliased: true);
        return new TowerCost(
            stemParameters + stages.Parameters,
            AttentionPool2d.ParameterCount(stages.Side, stages.Channels, embedDim),
            stemMacs + stages.Macs,
            AttentionPool2d.MacCount(stages.Side, stages.Channels, embedDim));
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        const string owner = nameof(ModifiedResNetConfig);
        // Every pooling step must divide evenly so the final grid is exactly ImageSize / 32 (the positional embedding's size).
        ConfigGuard.InRange(owner, nameof(ImageSize), ImageSize, TotalStride);
        ConfigGuard.DivisibleBy(owner, nameof(ImageSize), ImageSize, nameof(TotalStride), TotalStride);
        ConfigGuard.InRange(owner, nameof(Channels), Channels, 1);
        ConfigGuard.ListOf(owner, nameof(Layers), Layers, ResNetConfig.StageCount, 1);
        // The stem's first two convolutions have width / 2 channels, so the width must be even.
        ConfigGuard.InRange(owner, nameof(WidthMultiplier), WidthMultiplier, 2.0 / ResNetConfig.StandardWidth, 64.0);
        if (Width % 2 != 0)
        {
            throw new ArgumentException(
                $"{owner}.{nameof(WidthMultiplier)} = {WidthMultiplier} gives Width = round(64 × {WidthMultiplier}) = {Width}, which must be even " +
                "(the stem's first convolutions have Width / 2 channels); valid multipliers give even widths, e.g. 0.25, 0.5, 1, 1.25.",
                nameof(WidthMultiplier));
        }

        ConfigGuard.InRange(owner, nameof(HeadWidth), HeadWidth, 1, FeatureChannels);
        if (FeatureChannels % HeadWidth != 0)
        {
            throw new ArgumentException(
                $"{owner}.{nameof(HeadWidth)} = {HeadWidth} must divide the pool width {FeatureChannels} (32 × Width); " +
                $"valid values are the divisors of {FeatureChannels}, e.g. 64.",
                nameof(HeadWidth));
        }
    }
}
