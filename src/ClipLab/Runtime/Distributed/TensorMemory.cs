using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// The address of a CPU tensor's first element, for handing its memory to a native library without a copy.
/// TorchSharp 0.107 exposes no public data pointer, so this asks LibTorchSharp (already loaded by TorchSharp) directly.
/// </summary>
internal static class TensorMemory
{
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSStorage_data_ptr(IntPtr tensor);

    [DllImport("LibTorchSharp")]
    private static extern long THSTensor_storage_offset(IntPtr tensor);

    /// <summary>The address of <paramref name="tensor"/>'s first element; it must be a contiguous CPU tensor.</summary>
    public static IntPtr Address(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("only a contiguous CPU tensor has a usable address", nameof(tensor));
        IntPtr storage = THSStorage_data_ptr(tensor.Handle);
        return storage + (nint)(THSTensor_storage_offset(tensor.Handle) * tensor.ElementSize);
    }
}
