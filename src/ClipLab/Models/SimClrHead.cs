using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// SLIP's SimCLR projection head (3-layer MLP with BatchNorm): features [B, in] → [B, OutputDim], not normalised.
/// Batch statistics are per call, so each augmented view is passed on its own, as in SLIP.
/// </summary>
public sealed class SimClrHead : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys
    private readonly Linear linear1;
    private readonly ChannelBatchNorm bn1;
    private readonly Linear linear2;
    private readonly ChannelBatchNorm bn2;
    private readonly Linear linear3;
#pragma warning restore IDE1006

    /// <summary>Builds the head on <paramref name="inputDim"/>-wide features.</summary>
    public SimClrHead(SimClrHeadConfig config, int inputDim) : base(nameof(SimClrHead))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        Config = config;
        linear1 = nn.Linear(inputDim, config.HiddenDim);
        bn1 = new ChannelBatchNorm(config.HiddenDim);
        linear2 = nn.Linear(config.HiddenDim, config.HiddenDim);
        bn2 = new ChannelBatchNorm(config.HiddenDim);
        linear3 = nn.Linear(config.HiddenDim, config.OutputDim);
        RegisterComponents();
    }

    /// <summary>The configuration this head was built from.</summary>
    public SimClrHeadConfig Config { get; }

    /// <summary>Maps features [B, in] to head outputs [B, OutputDim].</summary>
    public override Tensor forward(Tensor features)
    {
        using var h1 = linear1.call(features);
        using var n1 = bn1.call(h1);
        using var a1 = nn.functional.relu(n1);
        using var h2 = linear2.call(a1);
        using var n2 = bn2.call(h2);
        using var a2 = nn.functional.relu(n2);
        return linear3.call(a2);
    }
}
