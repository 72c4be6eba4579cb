using ClipLab.Interop.StateDictNames;
using static TorchSharp.torch;

namespace ClipLab.Interop.OpenClip;

/// <summary>Applies a <see cref="TensorTransform"/> to tensors and shapes (each transform is its own inverse).</summary>
internal static class Layout
{
    /// <summary>The tensor in the other layout (a view; the caller owns it).</summary>
    public static Tensor Apply(Tensor tensor, TensorTransform transform) => transform switch
    {
        TensorTransform.None => tensor.alias(),
        TensorTransform.Transpose => tensor.t(),
        _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, null),
    };

    /// <summary>The shape in the other layout.</summary>
    public static long[] Apply(long[] shape, TensorTransform transform) => transform switch
    {
        TensorTransform.None => shape,
        TensorTransform.Transpose => [.. shape.Reverse()],
        _ => throw new ArgumentOutOfRangeException(nameof(transform), transform, null),
    };
}
