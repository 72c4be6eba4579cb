namespace ClipLab.Models;

/// <summary>
/// Named vision towers, text towers and CLIP models.
/// </summary>
/// <remarks>
/// <para>Paper-scale models follow timm/open_clip names: <c>vit-{ti|s|b|l}-{patch}</c> (224 px), <c>resnet50</c>,
/// <c>clip-rn50</c> (CLIP's modified ResNet), <c>text-{ti|s|b}</c> and <c>clip-</c> + tower name.</para>
/// <para>The scaled-down CPU family is named <c>{family}-{size}-p{patch}-{px}</c>, e.g. <c>vit-micro-p4-32</c> is a ViT of
/// size "micro" with 4-pixel patches on 32-pixel images (families without patches drop <c>p{patch}</c>:
/// <c>resnet-nano-32</c>); sizes grow nano &lt; micro &lt; mini. Text towers of that family are <c>text-{size}</c> and CLIP
/// models prefix the vision name with <c>clip-</c>, unless it already starts with it (<c>clip-rn-nano-32</c>).</para>
/// <para>Populated once in the static constructor; the registry holds no other mutable state.</para>
/// </remarks>
public static class ModelRegistry
{
    private static readonly Dictionary<string, ModelEntry> Vision = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, ModelEntry> TextTowers = new(StringComparer.Ordinal);
    private static readonly Dictionary<string, ModelEntry> Clip = new(StringComparer.Ordinal);
    private static readonly List<ModelEntry> AllEntries = [];

    static ModelRegistry()
    {
        // Paper-scale towers (224 px, MLP ratio 4).
        AddVision("vit-ti-16", "ViT-Tiny/16, 224 px (width 192, depth 12, 3 heads)", Vit(224, 16, 192, 12, 3));
        AddVision("vit-s-16", "ViT-Small/16, 224 px (width 384, depth 12, 6 heads)", Vit(224, 16, 384, 12, 6));
        AddVision("vit-b-32", "ViT-Base/32, 224 px (width 768, depth 12, 12 heads)", Vit(224, 32, 768, 12, 12));
        AddVision("vit-b-16", "ViT-Base/16, 224 px (width 768, depth 12, 12 heads)", Vit(224, 16, 768, 12, 12));
        AddVision("vit-l-16", "ViT-Large/16, 224 px (width 1024, depth 24, 16 heads)", Vit(224, 16, 1024, 24, 16));

        // Scaled-down CPU family.
        AddVision("vit-nano-p8-32", "CPU ViT nano, 32 px, patch 8 (width 128, depth 4, 4 heads)", Vit(32, 8, 128, 4, 4));
        AddVision("vit-micro-p4-32", "CPU ViT micro, 32 px, patch 4 (width 192, depth 6, 3 heads)", Vit(32, 4, 192, 6, 3));
        AddVision("vit-mini-p4-64", "CPU ViT mini, 64 px, patch 4 (width 256, depth 6, 4 heads)", Vit(64, 4, 256, 6, 4));

        // ResNets: torchvision/timm resnet50 and CLIP's modified ResNet (tower name already starts with "clip-").
        AddVision("resnet50", "ResNet-50, 224 px (bottlenecks [3, 4, 6, 3], width 64, stride on the 3x3 conv)", new ResNetConfig());
        AddVision("clip-rn50", "CLIP modified ResNet-50, 224 px (3-conv stem, anti-aliased bottlenecks [3, 4, 6, 3], attention pool)",
            new ModifiedResNetConfig());
        AddVision("resnet-nano-32", "CPU ResNet nano, 32 px (bottlenecks [1, 1, 1, 1], width 32)",
            new ResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.5, ChannelsLast = true });
        AddVision("clip-rn-nano-32", "CPU CLIP modified ResNet nano, 32 px (bottlenecks [1, 1, 1, 1], width 32, 1x1 attention pool)",
            new ModifiedResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.5, ChannelsLast = true });

        AddText("text-ti", "Text transformer tiny (width 192, depth 12, 3 heads, 16 tokens)", TextTower(192, 12, 3));
        AddText("text-s", "Text transformer small (width 384, depth 12, 6 heads, 16 tokens)", TextTower(384, 12, 6));
        AddText("text-b", "Text transformer base (width 768, depth 12, 12 heads, 16 tokens)", TextTower(768, 12, 12));
        AddText("text-nano", "CPU text transformer nano (width 128, depth 3, 4 heads, 16 tokens)", TextTower(128, 3, 4));
        AddText("text-micro", "CPU text transformer micro (width 192, depth 6, 3 heads, 16 tokens)", TextTower(192, 6, 3));
        AddText("text-mini", "CPU text transformer mini (width 256, depth 6, 4 heads, 16 tokens)", TextTower(256, 6, 4));

        AddClip("clip-vit-ti-16", "CLIP ViT-Ti/16 + text-b, embed 512", "vit-ti-16", "text-b", 512);
        AddClip("clip-vit-s-16", "CLIP ViT-S/16 + text-b, embed 512", "vit-s-16", "text-b", 512);
        AddClip("clip-vit-b-32", "CLIP ViT-B/32 + text-b, embed 512", "vit-b-32", "text-b", 512);
        AddClip("clip-vit-b-16", "CLIP ViT-B/16 + text-b, embed 512", "vit-b-16", "text-b", 512);
        AddClip("clip-vit-l-16", "CLIP ViT-L/16 + text-b, embed 768", "vit-l-16", "text-b", 768);
        AddClip("clip-resnet50", "CLIP ResNet-50 + text-b, embed 512", "resnet50", "text-b", 512);
        AddClip("clip-rn50", "CLIP modified ResNet-50 (attention pool) + text-b, embed 512", "clip-rn50", "text-b", 512);
        AddClip("clip-vit-nano-p8-32", "CPU CLIP nano: vit-nano-p8-32 + text-nano, embed 128", "vit-nano-p8-32", "text-nano", 128);
        AddClip("clip-vit-micro-p4-32", "CPU CLIP micro: vit-micro-p4-32 + text-micro, embed 192", "vit-micro-p4-32", "text-micro", 192);
        AddClip("clip-vit-mini-p4-64", "CPU CLIP mini: vit-mini-p4-64 + text-mini, embed 256", "vit-mini-p4-64", "text-mini", 256);
        AddClip("clip-resnet-nano-32", "CPU CLIP ResNet nano: resnet-nano-32 + text-nano, embed 128", "resnet-nano-32", "text-nano", 128);
        AddClip("clip-rn-nano-32", "CPU CLIP modified-ResNet nano: clip-rn-nano-32 + text-nano, embed 128", "clip-rn-nano-32", "text-nano", 128);
    }

    /// <summary>All registered entries in registration order (vision towers, text towers, then CLIP models).</summary>
    public static IReadOnlyList<ModelEntry> Entries => AllEntries;

    /// <summary>Returns the CLIP model config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all CLIP model names.</exception>
    public static ClipModelConfig GetClip(string name) => (ClipModelConfig)Lookup(Clip, ModelKind.Clip, name).Config;

    /// <summary>Returns the vision tower config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all vision tower names.</exception>
    public static VisionTowerConfig GetVision(string name) => (VisionTowerConfig)Lookup(Vision, ModelKind.Vision, name).Config;

    /// <summary>Returns the text tower config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all text tower names.</exception>
    public static TextTransformerConfig GetText(string name) => (TextTransformerConfig)Lookup(TextTowers, ModelKind.Text, name).Config;

    /// <summary>Validates <paramref name="config"/> and builds a freshly initialised model (seed with <c>torch.manual_seed</c>).</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public static ClipModel Create(ClipModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        return new ClipModel(config);
    }

    /// <summary>Builds a freshly initialised model from the CLIP config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all CLIP model names.</exception>
    public static ClipModel Create(string name) => Create(GetClip(name));

    private static ModelEntry Lookup(Dictionary<string, ModelEntry> table, ModelKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (table.TryGetValue(name, out var entry))
        {
            return entry;
        }

        throw new KeyNotFoundException(
            $"Unknown {kind.ToString().ToLowerInvariant()} model '{name}'. Valid names: {string.Join(", ", table.Keys)}.");
    }

    private static VisionTransformerConfig Vit(int imageSize, int patch, int width, int depth, int heads) => new()
    {
        ImageSize = imageSize, PatchSize = patch, Width = width, Depth = depth, Heads = heads, MlpRatio = 4.0,
    };

    private static TextTransformerConfig TextTower(int width, int depth, int heads) => new()
    {
        ContextLength = 16, Width = width, Depth = depth, Heads = heads, MlpRatio = 4.0,
    };

    private static void AddVision(string name, string description, VisionTowerConfig config)
        => Add(Vision, new ModelEntry(name, ModelKind.Vision, description, config));

    private static void AddText(string name, string description, TextTransformerConfig config)
        => Add(TextTowers, new ModelEntry(name, ModelKind.Text, description, config));

    private static void AddClip(string name, string description, string vision, string text, int embedDim)
        => Add(Clip, new ModelEntry(name, ModelKind.Clip, description,
            new ClipModelConfig { Vision = GetVision(vision), Text = GetText(text), EmbedDim = embedDim }));

    private static void Add(Dictionary<string, ModelEntry> table, ModelEntry entry)
    {
        // Every registered config must be valid; failing here surfaces a bad registration at first use.
        switch (entry.Config)
        {
            case ClipModelConfig c: c.Validate(); break;
            case VisionTowerConfig v: v.Validate(); break;
            case TextTransformerConfig t: t.Validate(); break;
        }

        table.Add(entry.Name, entry);
        AllEntries.Add(entry);
    }
}
