namespace ClipLab.Models;

/// <summary>
/// A named size of a vision tower family, and the CLIP model the <see cref="ModelRegistry"/> builds on it: the tower
/// <paramref name="Name"/>, and the CLIP model <see cref="ModelRegistry.ClipNameFor"/>(<paramref name="Name"/>) pairing it
/// with text tower <paramref name="TextTower"/> in an <paramref name="EmbedDim"/>-wide joint space.
/// </summary>
/// <param name="Name">Registry name of the tower, e.g. <c>vit-nano-p8-32</c>.</param>
/// <param name="Description">One-line human-readable description of the tower.</param>
/// <param name="Scale">Paper-scale or CPU-scale (orders the listing).</param>
/// <param name="Config">The tower's config.</param>
/// <param name="TextTower">Registry name of the text tower of the CLIP model.</param>
/// <param name="EmbedDim">Joint embedding width of the CLIP model.</param>
public sealed record VisionSize(string Name, string Description, ModelScale Scale, VisionTowerConfig Config, string TextTower, int EmbedDim);
