using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// A capability an image tower declares when it encodes images as a sequence of patch tokens and can drop some of them
/// (FLIP's masking). Callers ask for the capability (<see cref="ClipModel.EncodeImage(Tensor, Tensor?, bool)"/>), not
/// for a tower type, so any family with a token sequence can offer it.
/// </summary>
public interface ITokenMaskingTower
{
    /// <summary>Number of patch tokens per image, the range of the kept indices.</summary>
    int NumPatches { get; }

    /// <summary>Encodes images [B, C, H, W] keeping only the patch tokens in <paramref name="keepPatches"/>.</summary>
    /// <param name="images">Images [B, C, H, W].</param>
    /// <param name="keepPatches">[B, K] int64 indices in [0, <see cref="NumPatches"/>) of the tokens to keep, or null to keep all.</param>
    /// <returns>Projected, unnormalised features [B, OutputDim].</returns>
    Tensor Forward(Tensor images, Tensor? keepPatches);
}
