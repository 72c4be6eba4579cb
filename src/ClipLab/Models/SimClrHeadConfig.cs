namespace ClipLab.Models;

/// <summary>
/// Shape of SLIP's SimCLR projection head: Linear → BatchNorm → ReLU → Linear → BatchNorm → ReLU → Linear
/// (Mu et al. 2021; their defaults 4096-4096-256).
/// </summary>
public sealed record SimClrHeadConfig
{
    /// <summary>Width of the two hidden layers (SLIP's <c>--ssl-mlp-dim</c>).</summary>
    public int HiddenDim { get; init; } = 4096;

    /// <summary>Output width the NT-Xent loss compares (SLIP's <c>--ssl-emb-dim</c>).</summary>
    public int OutputDim { get; init; } = 256;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        const string owner = nameof(SimClrHeadConfig);
        ConfigGuard.InRange(owner, nameof(HiddenDim), HiddenDim, 1);
        ConfigGuard.InRange(owner, nameof(OutputDim), OutputDim, 1);
    }

    /// <summary>Parameters of the head on <paramref name="inputDim"/> features: three linear layers with biases and two BatchNorms.</summary>
    public long Parameters(int inputDim)
    {
        long h = HiddenDim, o = OutputDim;
        return inputDim * h + h + 2 * h + h * h + h + 2 * h + h * o + o;
    }

    /// <summary>Forward multiply–accumulates of the head for one view (the three matrix products).</summary>
    public double Macs(int inputDim) => (double)inputDim * HiddenDim + (double)HiddenDim * HiddenDim + (double)HiddenDim * OutputDim;
}
