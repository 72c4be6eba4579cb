using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// The config side of <see cref="ITokenMaskingTower"/>: a tower config implements it when the towers it builds can drop
/// patch tokens, so strategies (FLIP) can size their masks and costs before a model exists. Ask for it with
/// <see cref="VisionTowerConfig.TokenMasking"/>.
/// </summary>
public interface ITokenMaskingTowerConfig
{
    /// <summary>Number of patch tokens per image.</summary>
    int NumPatches { get; }

    /// <summary>Cost when only <paramref name="keptPatches"/> patch tokens enter the tower's blocks.</summary>
    /// <param name="embedDim">Dimension of the shared image-text embedding space.</param>
    /// <param name="keptPatches">Patch tokens kept, in [0, <see cref="NumPatches"/>].</param>
    TowerCost Cost(int embedDim, int keptPatches);
}
