using System.Text.Json.Serialization;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Configuration of an image encoder. Serialised polymorphically with a <c>"type"</c> discriminator so new tower
/// families (ResNet, ConvNeXt, Swin, Mixer, ...) only add a derived record and a <see cref="JsonDerivedTypeAttribute"/>.
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
    /// read from the attributes above so the name lives in one place.
    /// </summary>
    [JsonIgnore]
    public string Family => typeof(VisionTowerConfig)
        .GetCustomAttributes(typeof(JsonDerivedTypeAttribute), inherit: false)
        .Cast<JsonDerivedTypeAttribute>()
        .Single(a => a.DerivedType == GetType())
        .TypeDiscriminator as string ?? GetType().Name;

    /// <summary>Side length in pixels of the square input images.</summary>
    public abstract int ImageSize { get; init; }

    /// <summary>Number of input image channels.</summary>
    public abstract int Channels { get; init; }

    /// <summary>Builds a freshly initialised tower projecting to <paramref name="embedDim"/> features.</summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    public abstract VisionTower Build(int embedDim);

    /// <summary>
    /// Analytic parameter count and forward multiply–accumulates per image of the tower built with
    /// <paramref name="embedDim"/> outputs (see <see cref="TowerCost"/> for the counting convention).
    /// </summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    public abstract TowerCost Cost(int embedDim);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field, its value and the valid range.</summary>
    public abstract void Validate();
}
