using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Configuration of an image encoder. Serialised polymorphically with a <c>"type"</c> discriminator: a tower family of
/// the library adds a derived record, a <see cref="JsonDerivedTypeAttribute"/> line here naming its JSON type, and its
/// sizes to <see cref="ModelRegistry"/> (docs/models.md, "Adding a vision family").
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(VisionTransformerConfig), "vit")]
[JsonDerivedType(typeof(ResNetConfig), "resnet")]
[JsonDerivedType(typeof(ModifiedResNetConfig), "modified-resnet")]
[JsonDerivedType(typeof(SwinTransformerConfig), "swin")]
[JsonDerivedType(typeof(ConvNextConfig), "convnext")]
[JsonDerivedType(typeof(MlpMixerConfig), "mixer")]
public abstract record VisionTowerConfig
{
    /// <summary>
    /// The tower family: the <c>"type"</c> discriminator this record is serialised with (<c>vit</c>, <c>resnet</c>, ...),
    /// read from the attributes above so the name lives in one place. A family registered from outside the library
    /// (see <see cref="ModelRegistry.RegisterFamily"/>) has no attribute here; it overrides this, else its type name is used.
    /// </summary>
    [JsonIgnore]
    public virtual string Family => typeof(VisionTowerConfig)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
        .Cast<JsonDerivedTypeAttribute>()
        .FirstOrDefault(a => a.DerivedType == GetType())?
        .TypeDiscriminator as string ?? GetType().Name;

    /// <summary>Side length in pixels of the square input images.</summary>
    public abstract int ImageSize { get; init; }

    /// <summary>Number of input image channels.</summary>
    public abstract int Channels { get; init; }

    /// <summary>
    /// Width of the pooled trunk features, before the projection into the joint embedding space (SLIP's
    /// <c>vision_width</c>, the input of its SimCLR head). Derived from the family's fields, so not serialised.
    /// </summary>
    [JsonIgnore]
    public abstract int TrunkWidth { get; }

    /// <summary>Builds a freshly initialised tower projecting to <paramref name="embedDim"/> features; the tower validates this config.</summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    /// <exception cref="ArgumentException">The config is invalid.</exception>
    public abstract VisionTower Build(int embedDim);

    /// <summary>
    /// The token-masking capability (FLIP) of the towers this config builds, or null when the family has no token
    /// sequence. Strategies ask this, never for a tower type; a family offers it by implementing
    /// <see cref="ITokenMaskingTowerConfig"/> (and its tower <see cref="ITokenMaskingTower"/>). A method rather than a
    /// property, so that neither JSON nor the record's printout picks it up.
    /// </summary>
    public ITokenMaskingTowerConfig? TokenMasking() => this as ITokenMaskingTowerConfig;

    /// <summary>
    /// Analytic parameter count and forward multiply–accumulates per image of the tower built with
    /// <paramref name="embedDim"/> outputs (see <see cref="TowerCost"/> for the counting convention).
    /// </summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    public abstract TowerCost Cost(int embedDim);

    /// <summary>
    /// Forward multiply–accumulates per image of the projection from the trunk features to <paramref name="embedDim"/>
    /// (part of <see cref="TowerCost.HeadMacs"/>): a pass that stops at the trunk features (SLIP's SimCLR views) saves
    /// them. Every family of the library projects with one matrix, <see cref="TrunkWidth"/> × <paramref name="embedDim"/>;
    /// a family projecting otherwise overrides this.
    /// </summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    public virtual double ProjectionMacs(int embedDim) => (double)TrunkWidth * embedDim;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field, its value and the valid range.</summary>
    public abstract void Validate();
}
