namespace ClipLab.Models;

/// <summary>
/// Named vision towers, text towers and CLIP models: the built-in families' sizes, plus whatever a program or a model
/// file registers.
/// </summary>
/// <remarks>
/// <para>Paper-scale models follow timm/open_clip names: <c>vit-{ti|s|b|l}-{patch}</c> (224 px), <c>resnet50</c>,
/// <c>clip-rn50</c> (CLIP's modified ResNet), <c>text-{ti|s|b}</c> and <c>clip-</c> + tower name.</para>
/// <para>The scaled-down CPU family is named <c>{family}-{size}-p{patch}-{px}</c>, e.g. <c>vit-micro-p4-32</c> is a ViT of
/// size "micro" with 4-pixel patches on 32-pixel images (families without patches drop <c>p{patch}</c>:
/// <c>resnet-nano-32</c>); sizes grow nano &lt; micro &lt; mini. Text towers of that family are <c>text-{size}</c> and CLIP
/// models prefix the vision name with <c>clip-</c>, unless it already starts with it (<c>clip-rn-nano-32</c>).</para>
/// <para>Each family declares its sizes next to its own code (<see cref="VisionTransformerSizes"/>, ...); the registry
/// lists the built-in families once, below. Registration is open, as timm's: <see cref="Register(VisionSize)"/>,
/// <see cref="RegisterFamily"/> and the other <c>Register</c> overloads add entries from code,
/// <see cref="RegisterFile"/> from a model file. Names are unique across a kind; registering is thread-safe.</para>
/// </remarks>
public static class ModelRegistry
{
    /// <summary>The built-in vision families, in listing order (paper-scale sizes of all families first, then CPU sizes).</summary>
    private static readonly IReadOnlyList<VisionSize>[] BuiltInFamilies =
    [
        VisionTransformerSizes.All,
        ResNetSizes.All,
        ModifiedResNetSizes.All,
        ConvNextSizes.All,
        SwinTransformerSizes.All,
        MlpMixerSizes.All,
    ];

    private static readonly Lock Gate = new();
    private static readonly Dictionary<ModelKind, List<ModelEntry>> Tables = new()
    {
        [ModelKind.Vision] = [], [ModelKind.Text] = [], [ModelKind.Clip] = [],
    };

    static ModelRegistry()
    {
        var sizes = BuiltInFamilies.SelectMany(family => family).OrderBy(size => size.Scale).ToList();
        foreach (var size in sizes) Add(VisionEntry(size) with { BuiltIn = true });
        foreach (var text in TextTransformerSizes.All) Add(text with { BuiltIn = true });
        foreach (var size in sizes) Add(ClipEntry(size) with { BuiltIn = true });
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

    /// <summary>
    /// All registered entries: vision towers, text towers, then CLIP models, each kind in registration order (built-in
    /// entries first). A snapshot: later registrations do not change a list already returned.
    /// </summary>
    public static IReadOnlyList<ModelEntry> Entries
    {
        get
        {
            lock (Gate) return [.. Tables[ModelKind.Vision], .. Tables[ModelKind.Text], .. Tables[ModelKind.Clip]];
        }
    }

    /// <summary>Returns the CLIP model config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all CLIP model names.</exception>
    public static ClipModelConfig GetClip(string name) => (ClipModelConfig)Lookup(ModelKind.Clip, name).Config;

    /// <summary>Returns the vision tower config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all vision tower names.</exception>
    public static VisionTowerConfig GetVision(string name) => (VisionTowerConfig)Lookup(ModelKind.Vision, name).Config;

    /// <summary>Returns the text tower config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all text tower names.</exception>
    public static TextTransformerConfig GetText(string name) => (TextTransformerConfig)Lookup(ModelKind.Text, name).Config;

    /// <summary>Builds a freshly initialised model (seed with <c>torch.manual_seed</c>); the model validates the config.</summary>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public static ClipModel Create(ClipModelConfig config) => new(config);

    /// <summary>Builds a freshly initialised model from the CLIP config registered as <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">Unknown name; the message lists all CLIP model names.</exception>
    public static ClipModel Create(string name) => Create(GetClip(name));

    /// <summary>
    /// Registers a vision tower size and the CLIP model built on it (named <see cref="ClipNameFor"/>), as the built-in
    /// families register theirs. Both names must be free and the text tower registered; nothing is added on failure.
    /// </summary>
    /// <exception cref="ArgumentException">A name is taken, the text tower is unknown or a config is invalid.</exception>
    public static void Register(VisionSize size)
    {
        ArgumentNullException.ThrowIfNull(size);
        Add(VisionEntry(size), ClipEntry(size));
    }

    /// <summary>Registers every size of a vision family (see <see cref="Register(VisionSize)"/>): the one line a new family needs.</summary>
    /// <param name="sizes">The family's sizes, e.g. a static table kept next to the family's code.</param>
    public static void RegisterFamily(IEnumerable<VisionSize> sizes)
    {
        ArgumentNullException.ThrowIfNull(sizes);
        foreach (var size in sizes) Register(size);
    }

    /// <summary>Registers a vision tower config under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is taken or the config is invalid.</exception>
    public static ModelEntry Register(string name, string description, VisionTowerConfig config) => Register(name, ModelKind.Vision, description, config);

    /// <summary>Registers a text tower config under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is taken or the config is invalid.</exception>
    public static ModelEntry Register(string name, string description, TextTransformerConfig config) => Register(name, ModelKind.Text, description, config);

    /// <summary>Registers a CLIP model config under <paramref name="name"/>, so runs can name it as <c>"model"</c>.</summary>
    /// <exception cref="ArgumentException">The name is taken or the config is invalid.</exception>
    public static ModelEntry Register(string name, string description, ClipModelConfig config) => Register(name, ModelKind.Clip, description, config);

    /// <summary>
    /// Registers the CLIP model of a model file (<see cref="ModelFile"/>: a name, an optional description and a
    /// <c>model</c> config, written as a run config's <c>modelConfig</c>).
    /// </summary>
    /// <returns>The new entry.</returns>
    /// <exception cref="InvalidDataException">The file is missing, not JSON, or has an unknown key; the message names it.</exception>
    /// <exception cref="ArgumentException">The name is taken or the config is invalid.</exception>
    public static ModelEntry RegisterFile(string path)
    {
        var file = ModelFile.Load(path);
        return Register(file.Name, file.Description ?? $"CLIP model from {Path.GetFileName(path)}", file.Model);
    }

    private static ModelEntry Register(string name, ModelKind kind, string description, object config)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentNullException.ThrowIfNull(config);
        var entry = new ModelEntry(name, kind, description, config);
        Add(entry);
        return entry;
    }

    private static ModelEntry VisionEntry(VisionSize size) => new(size.Name, ModelKind.Vision, size.Description, size.Config);

    private static ModelEntry ClipEntry(VisionSize size) => new(ClipNameFor(size.Name), ModelKind.Clip,
        $"CLIP {size.Name} + {size.TextTower}, embed {size.EmbedDim}",
        new ClipModelConfig { Vision = size.Config, Text = GetText(size.TextTower), EmbedDim = size.EmbedDim });

    private static ModelEntry Lookup(ModelKind kind, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (Gate)
        {
            var table = Tables[kind];
            return table.Find(e => e.Name == name) ?? throw new KeyNotFoundException(
                $"Unknown {kind.ToString().ToLowerInvariant()} model '{name}'. Valid names: {string.Join(", ", table.Select(e => e.Name))}.");
        }
    }

    /// <summary>Adds <paramref name="entries"/> together or not at all: each must be valid and its name free in its kind.</summary>
    private static void Add(params ModelEntry[] entries)
    {
        // Every registered config must be valid; failing here surfaces a bad registration at once.
        foreach (var entry in entries)
        {
            switch (entry.Config)
            {
                case ClipModelConfig c: c.Validate(); break;
                case VisionTowerConfig v: v.Validate(); break;
                case TextTransformerConfig t: t.Validate(); break;
                default: throw new ArgumentException($"{entry.Name}: a {entry.Config.GetType().Name} is not a model config.", nameof(entries));
            }
        }

        lock (Gate)
        {
            foreach (var entry in entries)
            {
                if (Tables[entry.Kind].Find(e => e.Name == entry.Name) is { } taken)
                {
                    throw new ArgumentException(
                        $"a {entry.Kind.ToString().ToLowerInvariant()} model named '{entry.Name}' is already registered ({taken.Description}); choose another name.",
                        nameof(entries));
                }
            }

            foreach (var entry in entries) Tables[entry.Kind].Add(entry);
        }
    }
}
