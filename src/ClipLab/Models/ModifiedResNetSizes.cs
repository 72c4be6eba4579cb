namespace ClipLab.Models;

/// <summary>The named sizes of CLIP's modified ResNet, registered by <see cref="ModelRegistry"/>.</summary>
public static class ModifiedResNetSizes
{
    /// <summary>Every named size, in listing order.</summary>
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        new("clip-rn50", "CLIP modified ResNet-50, 224 px (3-conv stem, anti-aliased bottlenecks 3-4-6-3, attention pool)", ModelScale.Paper,
            new ModifiedResNetConfig(), "text-b", 512),
        new("clip-rn-nano-32", "CPU CLIP modified ResNet nano, 32 px (bottlenecks 1-1-1-1, width 32, 1x1 attention pool)", ModelScale.Cpu,
            new ModifiedResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.5, ChannelsLast = true }, "text-nano", 128),
    ];
}
