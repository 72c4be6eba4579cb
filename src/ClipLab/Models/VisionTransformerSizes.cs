namespace ClipLab.Models;

/// <summary>The named ViT sizes (timm/open_clip names at paper scale), registered by <see cref="ModelRegistry"/>.</summary>
public static class VisionTransformerSizes
{
    /// <summary>Every named size, in listing order.</summary>
    public static IReadOnlyList<VisionSize> All { get; } =
    [
        // The paper fixes the text tower at B.
        new("vit-ti-16", "ViT-Tiny/16, 224 px (width 192, depth 12, 3 heads)", ModelScale.Paper, Vit(224, 16, 192, 12, 3), "text-b", 512),
        new("vit-s-16", "ViT-Small/16, 224 px (width 384, depth 12, 6 heads)", ModelScale.Paper, Vit(224, 16, 384, 12, 6), "text-b", 512),
        new("vit-b-32", "ViT-Base/32, 224 px (width 768, depth 12, 12 heads)", ModelScale.Paper, Vit(224, 32, 768, 12, 12), "text-b", 512),
        new("vit-b-16", "ViT-Base/16, 224 px (width 768, depth 12, 12 heads)", ModelScale.Paper, Vit(224, 16, 768, 12, 12), "text-b", 512),
        new("vit-l-16", "ViT-Large/16, 224 px (width 1024, depth 24, 16 heads)", ModelScale.Paper, Vit(224, 16, 1024, 24, 16), "text-b", 768),
        // The CPU family pairs each tower with the CPU text tower of its size.
        new("vit-nano-p8-32", "CPU ViT nano, 32 px, patch 8 (width 128, depth 4, 4 heads)", ModelScale.Cpu, Vit(32, 8, 128, 4, 4), "text-nano", 128),
        new("vit-micro-p4-32", "CPU ViT micro, 32 px, patch 4 (width 192, depth 6, 3 heads)", ModelScale.Cpu, Vit(32, 4, 192, 6, 3), "text-micro", 192),
        new("vit-mini-p4-64", "CPU ViT mini, 64 px, patch 4 (width 256, depth 6, 4 heads)", ModelScale.Cpu, Vit(64, 4, 256, 6, 4), "text-mini", 256),
    ];

    private static VisionTransformerConfig Vit(int imageSize, int patch, int width, int depth, int heads) => new()
    {
        ImageSize = imageSize, PatchSize = patch, Width = width, Depth = depth, Heads = heads, MlpRatio = 4.0,
    };
}
