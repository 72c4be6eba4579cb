namespace ClipLab.Models;

/// <summary>The named bottleneck-ResNet sizes, registered by <see cref="ModelRegistry"/>.</summary>
public static class ResNetSizes
{
    /// <summary>Every named size, in listing order.</summary>
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        new("resnet50", "ResNet-50, 224 px (bottlenecks 3-4-6-3, width 64, stride on the 3x3 conv)", ModelScale.Paper, new ResNetConfig(), "text-b", 512),
        // Channels-last input measured ~20% faster for these 32 px ResNets at training batch sizes (docs/benchmarks.md).
        new("resnet-nano-32", "CPU ResNet nano, 32 px (bottlenecks 1-1-1-1, width 32)", ModelScale.Cpu,
            new ResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.5, ChannelsLast = true }, "text-nano", 128),
    ];
}
