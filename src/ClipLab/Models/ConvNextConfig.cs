using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Configuration of a ConvNeXt image tower (Liu et al. 2022, "A ConvNet for the 2020s"). Defaults are ConvNeXt-T at 224 px.
/// </summary>
/// <remarks>
/// The stem is a <see cref="PatchSize"/>×<see cref="PatchSize"/> convolution of the same stride, and every stage after the
/// first halves the resolution, so the last stage sees ImageSize / (PatchSize · 2^(stages−1)) pixels per side. At 32 px the
/// paper's stem (4) leaves a single pixel at the last stage; scaled-down towers use a smaller <see cref="PatchSize"/>.
/// The stage lists are <see cref="ValueList{T}"/>s, so equality compares them element-wise and a JSON round trip yields an equal record.
/// </remarks>
public sealed record ConvNextConfig : VisionTowerConfig
{
    /// <inheritdoc/>
    public override int ImageSize { get; init; } = 224;

    /// <inheritdoc/>
    public override int Channels { get; init; } = 3;

    /// <summary>Number of blocks in each stage.</summary>
    public ValueList<int> Depths { get; init; } = [3, 3, 9, 3];

    /// <summary>Channel width of each stage (same length as <see cref="Depths"/>).</summary>
    public ValueList<int> Dims { get; init; } = [96, 192, 384, 768];

    /// <summary>Kernel size and stride of the patchify stem.</summary>
    public int PatchSize { get; init; } = 4;

    /// <summary>Kernel size of the depthwise convolution in each block (odd, so "same" padding keeps the size).</summary>
    public int KernelSize { get; init; } = 7;

    /// <summary>Initial value of the per-channel layer-scale gains; 0 builds blocks without layer scale.</summary>
    public double LayerScaleInit { get; init; } = 1e-6;

    /// <summary>
    /// Stochastic-depth rate of the last block; block i of n drops its residual branch with rate DropPathRate·i/(n−1)
    /// (linearly increasing from 0, as timm). Training only.
    /// </summary>
    public double DropPathRate { get; init; }

    /// <summary>Number of stages (derived, so not serialised).</summary>
    [JsonIgnore]
    public int Stages => Depths.Count;

    /// <summary>Total downsampling factor from the image to the last stage: stem stride times 2 per later stage (derived).</summary>
    [JsonIgnore]
    public int TotalStride => PatchSize << (Stages - 1);

    /// <summary>Stochastic-depth rate of every block in order, linearly increasing from 0 to <see cref="DropPathRate"/> (derived).</summary>
    [JsonIgnore]
    public IReadOnlyList<double> BlockDropPathRates => DropPath.LinearRates(Depths.Sum(), DropPathRate);

    /// <summary>Pooled trunk features before the projection: the averaged, normalised last stage: the last entry of <see cref="Dims"/>.</summary>
    [JsonIgnore]
    public override int TrunkWidth => Dims[^1];

    /// <inheritdoc/>
    public override VisionTower Build(int embedDim) => new ConvNext(this, embedDim);

    /// <inheritdoc/>
    public override TowerCost Cost(int embedDim)
    {
        Validate();
        long d0 = Dims[0];
        long stemKernel = (long)Channels * PatchSize * PatchSize;
        long side = ImageSize / PatchSize;
        // Stem: patchify conv (with bias) and a channels-first LayerNorm.
        long parameters = stemKernel * d0 + d0 + 2 * d0;
        double macs = (double)side * side * stemKernel * d0;
        long kernelArea = (long)KernelSize * KernelSize;
        for (var stage = 0; stage < Stages; stage++)
        {
            long d = Dims[stage];
            if (stage > 0)
            {
                // Downsampling: LayerNorm over the previous width, then a 2×2 stride-2 conv (with bias).
                long previous = Dims[stage - 1];
                side /= 2;
                parameters += 2 * previous + 4 * previous * d + d;
                macs += (double)side * side * 4 * previous * d;
            }

            // Block: depthwise conv (with bias), LayerNorm, Linear d→4d, Linear 4d→d (both with biases), layer scale.
            long blockParameters = kernelArea * d + d + 2 * d + (4 * d * d + 4 * d) + (4 * d * d + d) + (LayerScaleInit > 0 ? d : 0);
            double blockMacs = (double)side * side * (kernelArea * d + 8 * d * d);
            parameters += Depths[stage] * blockParameters;
            macs += Depths[stage] * blockMacs;
        }

        long last = Dims[^1];
        parameters += 2 * last; // LayerNorm after global average pooling
        return new TowerCost(parameters, last * embedDim, macs, (double)last * embedDim);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        const string owner = nameof(ConvNextConfig);
        ConfigGuard.InRange(owner, nameof(ImageSize), ImageSize, 1);
        ConfigGuard.InRange(owner, nameof(Channels), Channels, 1);
        if (Depths is null || Dims is null)
        {
            throw new ArgumentException($"{owner}.{nameof(Depths)} and {nameof(Dims)} must be given (one entry per stage).",
                Depths is null ? nameof(Depths) : nameof(Dims));
        }

        // Six stages would already downsample by 32× after the stem; more is certainly a mistake.
        ConfigGuard.InRange(owner, $"{nameof(Depths)}.Count", Depths.Count, 1, 6);
        if (Dims.Count != Depths.Count)
        {
            throw new ArgumentException(
                $"{owner}.{nameof(Dims)} has {Dims.Count} entries but {nameof(Depths)} has {Depths.Count}; give one width per stage ({Depths.Count}).",
                nameof(Dims));
        }

        for (var i = 0; i < Stages; i++)
        {
            ConfigGuard.InRange(owner, $"{nameof(Depths)}[{i}]", Depths[i], 1);
            ConfigGuard.InRange(owner, $"{nameof(Dims)}[{i}]", Dims[i], 1);
        }

        ConfigGuard.InRange(owner, nameof(PatchSize), PatchSize, 1, ImageSize);
        ConfigGuard.DivisibleBy(owner, nameof(ImageSize), ImageSize,
            $"{nameof(PatchSize)}·2^(stages−1) = {PatchSize}·{1 << (Stages - 1)}", (long)PatchSize << (Stages - 1));
        ConfigGuard.InRange(owner, nameof(KernelSize), KernelSize, 1, 31);
        if (KernelSize % 2 == 0)
        {
            throw new ArgumentException(
                $"{owner}.{nameof(KernelSize)} = {KernelSize} must be odd so that same padding keeps the size; valid values are 1, 3, 5, 7, ...",
                nameof(KernelSize));
        }

        ConfigGuard.InRange(owner, nameof(LayerScaleInit), LayerScaleInit, 0.0);
        ConfigGuard.InRange(owner, nameof(DropPathRate), DropPathRate, 0.0, 0.99);
    }
}
