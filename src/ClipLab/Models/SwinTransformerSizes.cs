namespace ClipLab.Models;

/// <summary>The named Swin sizes, registered by <see cref="ModelRegistry"/>.</summary>
public static class SwinTransformerSizes
{
    /// <summary>Every named size, in listing order.</summary>
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        new("swin-t", "Swin-T, 224 px, patch 4, window 7 (dims 96-768, depths 2-2-6-2, heads 3-6-12-24)", ModelScale.Paper,
            Swin(224, 4, 96, [2, 2, 6, 2], [3, 6, 12, 24], 7), "text-b", 512),
        // Patch 2 keeps a 16×16 grid, so the first two stages still shift their 4×4 windows.
        new("swin-nano-p2-32", "CPU Swin nano, 32 px, patch 2, window 4 (dims 32-256, depths 2-2-2-1, heads 1-2-4-8)", ModelScale.Cpu,
            Swin(32, 2, 32, [2, 2, 2, 1], [1, 2, 4, 8], 4), "text-nano", 128),
    ];

    private static SwinTransformerConfig Swin(int imageSize, int patch, int embedDim, ValueList<int> depths, ValueList<int> heads, int window) => new()
    {
        ImageSize = imageSize, PatchSize = patch, EmbedDim = embedDim, Depths = depths, Heads = heads, WindowSize = window, MlpRatio = 4.0,
    };
}
