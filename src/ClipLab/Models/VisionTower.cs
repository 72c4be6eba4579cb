using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Base class of image encoders: images [B, C, H, W] (float, in [-1, 1]) → features [B, <see cref="OutputDim"/>],
/// projected into the joint embedding space but not L2-normalised.
/// </summary>
public abstract class VisionTower : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the tower base with a module name.</summary>
    /// <param name="name">Module name.</param>
    protected VisionTower(string name) : base(name)
    {
    }

    /// <summary>Dimension of the projected output features.</summary>
    public abstract int OutputDim { get; }
}
