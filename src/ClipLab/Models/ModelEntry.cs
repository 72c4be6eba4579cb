namespace ClipLab.Models;

/// <summary>A named configuration in the <see cref="ModelRegistry"/>.</summary>
/// <param name="Name">Registry name, e.g. <c>clip-vit-nano-p8-32</c>.</param>
/// <param name="Kind">Whether this is a vision tower, text tower or CLIP model.</param>
/// <param name="Description">One-line human-readable description.</param>
/// <param name="Config">The config record: <see cref="VisionTowerConfig"/>, <see cref="TextTransformerConfig"/> or <see cref="ClipModelConfig"/>.</param>
public sealed record ModelEntry(string Name, ModelKind Kind, string Description, object Config)
{
    /// <summary>Whether the library registered this entry (a built-in family's size) rather than a program or a model file.</summary>
    public bool BuiltIn { get; init; }
}
