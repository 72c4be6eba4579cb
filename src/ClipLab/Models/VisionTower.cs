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

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the expected and actual shape unless <paramref name="images"/> is
    /// [B, <paramref name="channels"/>, <paramref name="size"/>, <paramref name="size"/>]: every tower checks its input the same way.
    /// </summary>
    protected static void CheckImages(Tensor images, int channels, int size)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.dim() != 4 || images.shape[1] != channels || images.shape[2] != size || images.shape[3] != size)
        {
            throw new ArgumentException(
                $"Expected images [B, {channels}, {size}, {size}]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }
}
