using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// SLIP's SimCLR projection head (3-layer MLP with BatchNorm): features [B, in] → [B, OutputDim], not normalised.
/// Batch statistics are per call, so each augmented view is passed on its own, as in SLIP. The state-dict names are
/// SLIP's (<c>layer1</c>, <c>bn1</c>, <c>layer2</c>, <c>bn2</c>, <c>layer3</c>); the head reads the image trunk's
/// features, so <c>in</c> is the vision width.
/// </summary>
public sealed class SimClrHead : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys
    private readonly Linear layer1;
    private readonly ChannelBatchNorm bn1;
    private readonly Linear layer2;
    private readonly ChannelBatchNorm bn2;
    private readonly Linear layer3;
#pragma warning restore IDE1006

    /// <summary>Builds the head on <paramref name="inputDim"/>-wide features.</summary>
    public SimClrHead(SimClrHeadConfig config, int inputDim) : base(nameof(SimClrHead))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        Config = config;
        InputDim = inputDim;
        layer1 = nn.Linear(inputDim, config.HiddenDim);
        bn1 = new ChannelBatchNorm(config.HiddenDim);
        layer2 = nn.Linear(config.HiddenDim, config.HiddenDim);
        bn2 = new ChannelBatchNorm(config.HiddenDim);
        layer3 = nn.Linear(config.HiddenDim, config.OutputDim);
        RegisterComponents();
    }

    /// <summary>The configuration this head was built from.</summary>
    public SimClrHeadConfig Config { get; }

    /// <summary>Width of the features the head reads (the vision trunk's width in a <see cref="ClipModel"/>).</summary>
    public int InputDim { get; }

    /// <summary>
    /// The state-dict prefix of this head's first layer before it moved onto the trunk features (then named <c>linear1</c>
    /// and fed the projected embedding); a checkpoint holding it cannot be loaded into today's head.
    /// </summary>
    public const string FormerFirstLayerKey = "image_mlp.linear1.";

    /// <summary>Maps features [B, in] to head outputs [B, OutputDim].</summary>
    public override Tensor forward(Tensor features)
    {
        using var h1 = layer1.call(features);
        using var n1 = bn1.call(h1);
        using var a1 = nn.functional.relu(n1);
        using var h2 = layer2.call(a1);
        using var n2 = bn2.call(h2);
        using var a2 = nn.functional.relu(n2);
        return layer3.call(a2);
    }
}
