using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// One training batch as the data delivers it: the image view the image–text loss sees, the tokens, and any extra
/// augmented views a strategy asked for (SLIP's two SimCLR views), each [B, C, S, S]. Tensors belong to the caller's
/// dispose scope.
/// </summary>
/// <param name="Images">Images in [-1, 1] (augmented when <c>data.augmentation</c> says so) [B, C, S, S].</param>
/// <param name="Tokens">Caption tokens [B, context].</param>
/// <param name="ExtraViews">Extra views of the same images, in the order they were requested (empty when none).</param>
public sealed record TrainingBatch(Tensor Images, Tensor Tokens, IReadOnlyList<Tensor> ExtraViews)
{
    /// <summary>A batch without extra views.</summary>
    public TrainingBatch(Tensor images, Tensor tokens) : this(images, tokens, []) { }

    /// <summary>Samples in the batch.</summary>
    public long Count => Images.shape[0];

    /// <summary>
    /// The batch on <paramref name="device"/>: this batch when it is there already, else a copy whose tensors belong to
    /// the caller's dispose scope (the data is prepared on the CPU; only the finished batch crosses to a GPU).
    /// </summary>
    public TrainingBatch To(Device device) =>
        ClipLab.Runtime.ModelPlacement.SameDevice(Images.device, device) ? this
            : new TrainingBatch(ClipLab.Runtime.ModelPlacement.To(Images, device), ClipLab.Runtime.ModelPlacement.To(Tokens, device),
                ExtraViews.Select(view => ClipLab.Runtime.ModelPlacement.To(view, device)).ToList());
}
