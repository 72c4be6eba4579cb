using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>Configuration of an MLP-Mixer image tower (Tolstikhin et al. 2021). Defaults are Mixer-B/16 at 224 px.</summary>
public sealed record MlpMixerConfig : VisionTowerConfig
{
    /// <inheritdoc/>
    public override int ImageSize { get; init; } = 224;

    /// <inheritdoc/>
    public override int Channels { get; init; } = 3;

    /// <summary>Side length in pixels of the square patches (patch-embedding kernel and stride).</summary>
    public int PatchSize { get; init; } = 16;

    /// <summary>Channels per patch token (hidden size C).</summary>
    public int Width { get; init; } = 768;

    /// <summary>Number of Mixer blocks.</summary>
    public int Depth { get; init; } = 12;

    /// <summary>Hidden size of the token-mixing MLP (D_S in the paper).</summary>
    public int TokenMlpDim { get; init; } = 384;

    /// <summary>Hidden size of the channel-mixing MLP (D_C in the paper).</summary>
    public int ChannelMlpDim { get; init; } = 3072;

    /// <summary>Number of patch tokens per image (derived, so not serialised).</summary>
    [JsonIgnore]
    public int NumPatches => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>Pooled trunk features before the projection: the normalised, averaged tokens: <see cref="Width"/>.</summary>
    [JsonIgnore]
    public override int TrunkWidth => Width;

    /// <inheritdoc/>
    public override VisionTower Build(int embedDim) => new MlpMixer(this, embedDim);

    /// <inheritdoc/>
    public override TowerCost Cost(int embedDim)
    {
        long n = NumPatches;
        long w = Width;
        long t = TokenMlpDim;
        long c = ChannelMlpDim;
        long patchKernel = (long)Channels * PatchSize * PatchSize;
        // Block: two LayerNorms, token MLP N→T→N and channel MLP W→C→W (all Linear layers with biases).
        long blockParameters = 2 * (2 * w) + (n * t + t + t * n + n) + (w * c + c + c * w + w);
        long trunkParameters = patchKernel * w + w + Depth * blockParameters + 2 * w;
        // The token MLP runs once per channel over N patches, the channel MLP once per patch over W channels.
        double blockMacs = (double)w * 2 * n * t + (double)n * 2 * w * c;
        double trunkMacs = (double)n * patchKernel * w + Depth * blockMacs;
        return new TowerCost(trunkParameters, w * embedDim, trunkMacs, (double)w * embedDim);
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        const string owner = nameof(MlpMixerConfig);
        ConfigGuard.InRange(owner, nameof(ImageSize), ImageSize, 1);
        ConfigGuard.InRange(owner, nameof(Channels), Channels, 1);
        ConfigGuard.InRange(owner, nameof(PatchSize), PatchSize, 1, ImageSize);
        ConfigGuard.DivisibleBy(owner, nameof(ImageSize), ImageSize, nameof(PatchSize), PatchSize);
        ConfigGuard.InRange(owner, nameof(Width), Width, 1);
        ConfigGuard.InRange(owner, nameof(Depth), Depth, 1);
        ConfigGuard.InRange(owner, nameof(TokenMlpDim), TokenMlpDim, 1);
        ConfigGuard.InRange(owner, nameof(ChannelMlpDim), ChannelMlpDim, 1);
    }
}
