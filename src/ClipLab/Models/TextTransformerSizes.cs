namespace ClipLab.Models;

/// <summary>The named text tower sizes, registered by <see cref="ModelRegistry"/>.</summary>
public static class TextTransformerSizes
{
    /// <summary>Every named size, in listing order: paper scale, then the CPU towers.</summary>
    public static IReadOnlyList<ModelEntry> All { get; } =
    [
        Text("text-ti", "Text transformer tiny (width 192, depth 12, 3 heads, 16 tokens)", 192, 12, 3),
        Text("text-s", "Text transformer small (width 384, depth 12, 6 heads, 16 tokens)", 384, 12, 6),
        Text("text-b", "Text transformer base (width 768, depth 12, 12 heads, 16 tokens)", 768, 12, 12),
        Text("text-nano", "CPU text transformer nano (width 128, depth 3, 4 heads, 16 tokens)", 128, 3, 4),
        Text("text-micro", "CPU text transformer micro (width 192, depth 6, 3 heads, 16 tokens)", 192, 6, 3),
        Text("text-mini", "CPU text transformer mini (width 256, depth 6, 4 heads, 16 tokens)", 256, 6, 4),
    ];

    private static ModelEntry Text(string name, string description, int width, int depth, int heads) => new(name, ModelKind.Text, description,
        new TextTransformerConfig { ContextLength = 16, Width = width, Depth = depth, Heads = heads, MlpRatio = 4.0 });
}
