namespace ClipLab.Runtime;

/// <summary>
/// Where a run computes (config section <c>runtime</c>). It describes the machine rather than the experiment, so a
/// resumed run takes it from the caller, not from the checkpoint: a run started on a GPU can continue on a CPU.
/// </summary>
public sealed record RuntimeConfig
{
    /// <summary>
    /// <c>cpu</c> (the default), <c>cuda</c> (the first GPU), <c>cuda:N</c> (GPU N) or <c>auto</c> (CUDA when this
    /// build and machine can use it, else the CPU). See <see cref="ComputeDevice"/>.
    /// </summary>
    public string Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>Checks <see cref="Device"/>'s spelling (not whether the device exists: that is known only when it is opened).</summary>
    /// <exception cref="ConfigException">The device is not one of the valid spellings.</exception>
    public void Validate()
    {
        if (!ComputeDevice.IsValidSpec(Device))
            throw new ConfigException("runtime.device", Device, ComputeDevice.ValidSpecs);
    }
}
