namespace ClipLab.Models;

/// <summary>The named MLP-Mixer sizes, registered by <see cref="ModelRegistry"/>.</summary>
public static class MlpMixerSizes
{
    /// <summary>Every named size, in listing order.</summary>
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        new("mixer-s-16", "MLP-Mixer-S/16, 224 px (width 512, depth 8, token MLP 256, channel MLP 2048)", ModelScale.Paper,
            Mixer(224, 16, 512, 8, 256, 2048), "text-b", 512),
        new("mixer-b-16", "MLP-Mixer-B/16, 224 px (width 768, depth 12, token MLP 384, channel MLP 3072)", ModelScale.Paper,
            Mixer(224, 16, 768, 12, 384, 3072), "text-b", 512),
        new("mixer-b-32", "MLP-Mixer-B/32, 224 px (width 768, depth 12, token MLP 384, channel MLP 3072)", ModelScale.Paper,
            Mixer(224, 32, 768, 12, 384, 3072), "text-b", 512),
        new("mixer-nano-p4-32", "CPU MLP-Mixer nano, 32 px, patch 4 (width 128, depth 4, token MLP 64, channel MLP 512)", ModelScale.Cpu,
            Mixer(32, 4, 128, 4, 64, 512), "text-nano", 128),
    ];

    private static MlpMixerConfig Mixer(int imageSize, int patch, int width, int depth, int tokenMlp, int channelMlp) => new()
    {
        ImageSize = imageSize, PatchSize = patch, Width = width, Depth = depth, TokenMlpDim = tokenMlp, ChannelMlpDim = channelMlp,
    };
}
