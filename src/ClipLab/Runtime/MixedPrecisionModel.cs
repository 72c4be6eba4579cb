using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Runtime;

/// <summary>
/// bf16 mixed-precision training of a <see cref="ClipModel"/>: the fp32 <see cref="Master"/> model owns the weights the
/// optimizer updates and the checkpoints store; a <see cref="Working"/> copy with <see cref="BFloat16Compute"/> runs the
/// forward and backward passes. After each backward pass the working gradients are copied into fp32 master gradients
/// (so clipping and the update are fp32); after each update the master weights are copied back into the working copy.
/// </summary>
public sealed class MixedPrecisionModel : IDisposable
{
    private readonly (Parameter Master, Parameter Working)[] _parameters;
    private readonly (Tensor Master, Tensor Working)[] _buffers;

    /// <summary>Builds the bf16 working copy of <paramref name="master"/> on <paramref name="device"/>.</summary>
    public MixedPrecisionModel(ClipModel master, Device device)
    {
        ArgumentNullException.ThrowIfNull(master);
        ArgumentNullException.ThrowIfNull(device);
        Master = master;
        // Building a model draws its random initialisation; keep the run's random stream as if it had not been built.
        using (var rng = torch.get_rng_state())
        {
            Working = ModelRegistry.Create(master.Config);
            torch.set_rng_state(rng);
        }
        if (device.type != DeviceType.CPU) Working.to(device);
        BFloat16Compute.Apply(Working);
        // Pair by name after the cast, which replaced the parameters of the bf16 layers.
        var workingParameters = Working.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        _parameters = master.named_parameters().Select(p => (p.parameter, workingParameters[p.name])).ToArray();
        var workingBuffers = Working.named_buffers().ToDictionary(b => b.name, b => b.buffer);
        _buffers = master.named_buffers().Where(b => workingBuffers.ContainsKey(b.name))
            .Select(b => (b.buffer, workingBuffers[b.name])).ToArray();
        using var noGrad = torch.no_grad();
        foreach (var (masterBuffer, working) in _buffers) working.copy_(masterBuffer);
        CopyWeightsToWorking();
    }

    /// <summary>The fp32 model: what the optimizer updates and the checkpoints store.</summary>
    public ClipModel Master { get; }

    /// <summary>The bf16-compute copy that runs forward and backward passes (and evaluations during training).</summary>
    public ClipModel Working { get; }

    /// <summary>
    /// Copies the working gradients into fp32 master gradients (a parameter without a working gradient keeps none, so
    /// the optimizer skips it as in fp32 training), then clears the working gradients for the next step.
    /// </summary>
    public void CopyGradientsToMaster()
    {
        using var noGrad = torch.no_grad();
        foreach (var (master, working) in _parameters)
        {
            using var workingGrad = working.grad;
            if (workingGrad is null) continue;
            using var masterGrad = master.grad;
            if (masterGrad is null)
            {
                using var fresh = workingGrad.to(ScalarType.Float32, copy: true);
                master.grad = fresh;
            }
            else
            {
                masterGrad.copy_(workingGrad);
            }
            workingGrad.zero_();
        }
    }

    /// <summary>
    /// Copies the master weights (after an update) into the working copy, rounding to bf16 where the working layer is
    /// bf16, and the working buffers (BatchNorm running statistics, updated by the forward pass) into the master.
    /// </summary>
    public void CopyWeightsToWorking()
    {
        using var noGrad = torch.no_grad();
        foreach (var (master, working) in _parameters) working.copy_(master);
        foreach (var (master, working) in _buffers)
            if (master.is_floating_point() && working.is_floating_point()) master.copy_(working);
    }

    /// <inheritdoc />
    public void Dispose() => Working.Dispose();
}
