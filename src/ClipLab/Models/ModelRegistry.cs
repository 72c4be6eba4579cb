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
        // Paper-scale vision towers (224 px): the encoders the paper compares, at their published sizes.
        AddVision("vit-ti-16", "ViT-Tiny/16, 224 px (width 192, depth 12, 3 heads)", Vit(224, 16, 192, 12, 3));
        AddVision("vit-s-16", "ViT-Small/16, 224 px (width 384, depth 12, 6 heads)", Vit(224, 16, 384, 12, 6));
        AddVision("vit-b-32", "ViT-Base/32, 224 px (width 768, depth 12, 12 heads)", Vit(224, 32, 768, 12, 12));
        AddVision("vit-b-16", "ViT-Base/16, 224 px (width 768, depth 12, 12 heads)", Vit(224, 16, 768, 12, 12));
        AddVision("vit-l-16", "ViT-Large/16, 224 px (width 1024, depth 24, 16 heads)", Vit(224, 16, 1024, 24, 16));
        AddVision("resnet50", "ResNet-50, 224 px (bottlenecks 3-4-6-3, width 64, stride on the 3x3 conv)", new ResNetConfig());
        AddVision("clip-rn50", "CLIP modified ResNet-50, 224 px (3-conv stem, anti-aliased bottlenecks 3-4-6-3, attention pool)",
            new ModifiedResNetConfig());
        // ConvNeXt-T with the paper's ImageNet-1k stochastic depth (0.1).
        AddVision("convnext-t", "ConvNeXt-T, 224 px (depths 3-3-9-3, dims 96-768, stem 4, drop path 0.1)", new ConvNextConfig { DropPathRate = 0.1 });
        AddVision("swin-t", "Swin-T, 224 px, patch 4, window 7 (dims 96-768, depths 2-2-6-2, heads 3-6-12-24)",
            Swin(224, 4, 96, [2, 2, 6, 2], [3, 6, 12, 24], 7));
        AddVision("mixer-s-16", "MLP-Mixer-S/16, 224 px (width 512, depth 8, token MLP 256, channel MLP 2048)", Mixer(224, 16, 512, 8, 256, 2048));
        AddVision("mixer-b-16", "MLP-Mixer-B/16, 224 px (width 768, depth 12, token MLP 384, channel MLP 3072)", Mixer(224, 16, 768, 12, 384, 3072));
        AddVision("mixer-b-32", "MLP-Mixer-B/32, 224 px (width 768, depth 12, token MLP 384, channel MLP 3072)", Mixer(224, 32, 768, 12, 384, 3072));

        // Scaled-down CPU towers: one or more per family, sized to train on Fashion-MNIST in minutes (docs/models.md).
        AddVision("vit-nano-p8-32", "CPU ViT nano, 32 px, patch 8 (width 128, depth 4, 4 heads)", Vit(32, 8, 128, 4, 4));
        AddVision("vit-micro-p4-32", "CPU ViT micro, 32 px, patch 4 (width 192, depth 6, 3 heads)", Vit(32, 4, 192, 6, 3));
        AddVision("vit-mini-p4-64", "CPU ViT mini, 64 px, patch 4 (width 256, depth 6, 4 heads)", Vit(64, 4, 256, 6, 4));
        // Channels-last input measured ~20% faster for these 32 px ResNets at training batch sizes (docs/benchmarks.md).
        AddVision("resnet-nano-32", "CPU ResNet nano, 32 px (bottlenecks 1-1-1-1, width 32)",
            new ResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.5, ChannelsLast = true });
        AddVision("clip-rn-nano-32", "CPU CLIP modified ResNet nano, 32 px (bottlenecks 1-1-1-1, width 32, 1x1 attention pool)",
            new ModifiedResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.5, ChannelsLast = true });
        // Stem stride 2 instead of 4, so the last stage still sees 2×2 pixels at 32 px.
        AddVision("convnext-nano-32", "CPU ConvNeXt nano, 32 px (depths 1-1-2-1, dims 32-256, stem 2)", new ConvNextConfig
        {
            ImageSize = 32, PatchSize = 2, Depths = [1, 1, 2, 1], Dims = [32, 64, 128, 256],
        });
        // Patch 2 keeps a 16×16 grid, so the first two stages still shift their 4×4 windows.
        AddVision("swin-nano-p2-32", "CPU Swin nano, 32 px, patch 2, window 4 (dims 32-256, depths 2-2-2-1, heads 1-2-4-8)",
            Swin(32, 2, 32, [2, 2, 2, 1], [1, 2, 4, 8], 4));
        AddVision("mixer-nano-p4-32", "CPU MLP-Mixer nano, 32 px, patch 4 (width 128, depth 4, token MLP 64, channel MLP 512)",
            Mixer(32, 4, 128, 4, 64, 512));

        AddText("text-ti", "Text transformer tiny (width 192, depth 12, 3 heads, 16 tokens)", TextTower(192, 12, 3));
        AddText("text-s", "Text transformer small (width 384, depth 12, 6 heads, 16 tokens)", TextTower(384, 12, 6));
        AddText("text-b", "Text transformer base (width 768, depth 12, 12 heads, 16 tokens)", TextTower(768, 12, 12));
        AddText("text-nano", "CPU text transformer nano (width 128, depth 3, 4 heads, 16 tokens)", TextTower(128, 3, 4));
        AddText("text-micro", "CPU text transformer micro (width 192, depth 6, 3 heads, 16 tokens)", TextTower(192, 6, 3));
        AddText("text-mini", "CPU text transformer mini (width 256, depth 6, 4 heads, 16 tokens)", TextTower(256, 6, 4));

        // CLIP models: the paper fixes the text tower at B; the CPU family pairs each tower with a CPU text tower.
        foreach (var (vision, embedDim) in new[]
                 {
                     ("vit-ti-16", 512), ("vit-s-16", 512), ("vit-b-32", 512), ("vit-b-16", 512), ("vit-l-16", 768), ("resnet50", 512),
                     ("clip-rn50", 512), ("convnext-t", 512), ("swin-t", 512), ("mixer-s-16", 512), ("mixer-b-16", 512), ("mixer-b-32", 512),
                 })
        {
            AddClip(vision, "text-b", embedDim);
        }

        AddClip("vit-nano-p8-32", "text-nano", 128);
        AddClip("vit-micro-p4-32", "text-micro", 192);
        AddClip("vit-mini-p4-64", "text-mini", 256);
        foreach (var vision in new[] { "resnet-nano-32", "clip-rn-nano-32", "convnext-nano-32", "swin-nano-p2-32", "mixer-nano-p4-32" })
        {
            AddClip(vision, "text-nano", 128);
        }
    }

    /// <summary>
    /// The name of the CLIP model built on vision tower <paramref name="visionName"/>: <c>clip-</c> + the tower's name, or the
    /// tower's own name when it already starts with <c>clip-</c> (CLIP's modified ResNet, as open_clip's "RN50").
    /// </summary>
    public static string ClipNameFor(string visionName)
    {
        ArgumentNullException.ThrowIfNull(visionName);
        return visionName.StartsWith("clip-", StringComparison.Ordinal) ? visionName : "clip-" + visionName;
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

    private static SwinTransformerConfig Swin(int imageSize, int patch, int embedDim, int[] depths, int[] heads, int window) => new()
    {
        ImageSize = imageSize, PatchSize = patch, EmbedDim = embedDim, Depths = depths, Heads = heads, WindowSize = window, MlpRatio = 4.0,
    };

    private static MlpMixerConfig Mixer(int imageSize, int patch, int width, int depth, int tokenMlp, int channelMlp) => new()
    {
        ImageSize = imageSize, PatchSize = patch, Width = width, Depth = depth, TokenMlpDim = tokenMlp, ChannelMlpDim = channelMlp,
    };

    private static TextTransformerConfig TextTower(int width, int depth, int heads) => new()
    {
        ContextLength = 16, Width = width, Depth = depth, Heads = heads, MlpRatio = 4.0,
    };

    private static void AddVision(string name, string description, VisionTowerConfig config)
        => Add(Vision, new ModelEntry(name, ModelKind.Vision, description, config));

    private static void AddText(string name, string description, TextTransformerConfig config)
        => Add(TextTowers, new ModelEntry(name, ModelKind.Text, description, config));

    private static void AddClip(string vision, string text, int embedDim)
        => Add(Clip, new ModelEntry(ClipNameFor(vision), ModelKind.Clip, $"CLIP {vision} + {text}, embed {embedDim}",
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
