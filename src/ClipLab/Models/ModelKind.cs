namespace ClipLab.Models;

/// <summary>What a <see cref="ModelRegistry"/> entry describes.</summary>
public enum ModelKind
{
    /// <summary>An image tower (<see cref="VisionTowerConfig"/>).</summary>
    Vision,

    /// <summary>A text tower (<see cref="TextTransformerConfig"/>).</summary>
    Text,

    /// <summary>A full CLIP model (<see cref="ClipModelConfig"/>).</summary>
    Clip,
}
