using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Runtime;

/// <summary>
/// Moves tensors to where a model computes and results back to the CPU. Data is prepared on the CPU; only the model's
/// inputs cross to its device, and evaluation results come back so that metrics, caches and probes stay device-neutral.
/// </summary>
public static class ModelPlacement
{
    /// <summary>The device of <paramref name="model"/>'s parameters (the CPU for a model without any).</summary>
    public static Device DeviceOf(nn.Module model)
    {
        ArgumentNullException.ThrowIfNull(model);
        foreach (var parameter in model.parameters()) return parameter.device;
        return CPU;
    }

    /// <summary>
    /// <paramref name="input"/> on <paramref name="device"/>: the tensor itself when it is there already (the CPU path
    /// is then unchanged), else a copy in the caller's dispose scope (non-blocking towards a GPU).
    /// </summary>
    public static Tensor To(Tensor input, Device device)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(device);
        return SameDevice(input.device, device) ? input : input.to(device, non_blocking: device.type == DeviceType.CUDA);
    }

    /// <summary><paramref name="result"/> as an fp32 CPU tensor: itself when it already is one, else a copy in the caller's dispose scope.</summary>
    public static Tensor ToCpuFloat(Tensor result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.device_type == DeviceType.CPU && result.dtype == ScalarType.Float32) return result;
        return result.to(ScalarType.Float32, CPU);
    }

    /// <summary>
    /// Places a model loaded from a checkpoint (fp32, on the CPU) for inference on <paramref name="device"/> in
    /// <paramref name="precision"/> (<see cref="Precision.Bf16"/> converts it in place with <see cref="BFloat16Compute"/>).
    /// </summary>
    public static void PrepareForInference(ClipLab.Models.ClipModel model, Device device, string precision)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(device);
        if (device.type != DeviceType.CPU) model.to(device);
        if (precision == Precision.Bf16) BFloat16Compute.Apply(model);
    }

    /// <summary>Whether two devices are the same one (type and index, a missing index meaning the current one).</summary>
    public static bool SameDevice(Device a, Device b) =>
        a.type == b.type && (a.type == DeviceType.CPU || Math.Max(a.index, 0) == Math.Max(b.index, 0));
}
