namespace ClipLab.Models;

/// <summary>The named ConvNeXt sizes, registered by <see cref="ModelRegistry"/>.</summary>
public static class ConvNextSizes
{
    /// <summary>Every named size, in listing order.</summary>
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        // ConvNeXt-T with the paper's ImageNet-1k stochastic depth (0.1).
        new("convnext-t", "ConvNeXt-T, 224 px (depths 3-3-9-3, dims 96-768, stem 4, drop path 0.1)", ModelScale.Paper,
            new ConvNextConfig { DropPathRate = 0.1 }, "text-b", 512),
        // Stem stride 2 instead of 4, so the last stage still sees 2×2 pixels at 32 px.
        new("convnext-nano-32", "CPU ConvNeXt nano, 32 px (depths 1-1-2-1, dims 32-256, stem 2)", ModelScale.Cpu, new ConvNextConfig
        {
            ImageSize = 32, PatchSize = 2, Depths = [1, 1, 2, 1], Dims = [32, 64, 128, 256],
        }, "text-nano", 128),
    ];
}
