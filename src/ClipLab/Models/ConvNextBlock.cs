using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// ConvNeXt block on [B, C, H, W]: <c>x + DropPath(γ · Linear(GELU(Linear(LN(DWConv(x))))))</c>, with a k×k depthwise
/// convolution, LayerNorm over channels, an inverted-bottleneck MLP of width 4C and per-channel layer scale γ.
/// </summary>
public sealed class ConvNextBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (official ConvNeXt naming)
    private readonly Conv2d dwconv;
    private readonly LayerNorm norm;
    private readonly Linear pwconv1;
    private readonly Linear pwconv2;
    private readonly Parameter? gamma;
    private readonly DropPath drop_path;
#pragma warning restore IDE1006

    /// <summary>Creates a block.</summary>
    /// <param name="dim">Channels C (input and output).</param>
    /// <param name="kernelSize">Odd kernel size of the depthwise convolution.</param>
    /// <param name="layerScaleInit">Initial layer-scale gain; 0 omits layer scale.</param>
    /// <param name="dropPathRate">Stochastic-depth rate of this block's residual branch.</param>
    public ConvNextBlock(int dim, int kernelSize, double layerScaleInit, double dropPathRate) : base(nameof(ConvNextBlock))
    {
        dwconv = nn.Conv2d(dim, dim, kernelSize, padding: kernelSize / 2, groups: dim);
        norm = nn.LayerNorm(dim, eps: 1e-6);
        // The two pointwise convolutions are Linear layers on channels-last views, as in the official implementation.
        pwconv1 = nn.Linear(dim, 4L * dim);
        pwconv2 = nn.Linear(4L * dim, dim);
        if (layerScaleInit > 0)
        {
            gamma = new Parameter(full(dim, layerScaleInit));
            // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
            gamma.DetachFromDisposeScope();
        }

        drop_path = new DropPath(dropPathRate);
        RegisterComponents();
    }

    /// <summary>Stochastic-depth rate of the residual branch.</summary>
    public double DropPathRate => drop_path.Rate;

    /// <summary>
    /// Initialises like timm: conv and linear weights ~ N(0, 0.02²), zero biases. (timm truncates at ±2 absolute, 100σ
    /// away, so a plain normal is the same distribution; TorchSharp 0.107's trunc_normal_ also returns near-constant values.)
    /// </summary>
    public void InitializeParameters()
    {
        using var _ = no_grad();
        foreach (var (w, b) in new[] { (dwconv.weight!, dwconv.bias!), (pwconv1.weight!, pwconv1.bias!), (pwconv2.weight!, pwconv2.bias!) })
        {
            nn.init.normal_(w, 0, 0.02);
            b.zero_();
        }
    }

    /// <summary>Applies the block to <paramref name="x"/> [B, C, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        Tensor branch;
        using (var mixed = dwconv.call(x))
        using (var channelsLast = mixed.permute(0, 2, 3, 1))
        using (var normed = norm.call(channelsLast))
        using (var hidden = pwconv1.call(normed))
        using (var activated = nn.functional.gelu(hidden))
        using (var projected = pwconv2.call(activated))
        using (var scaled = gamma is null ? projected.alias() : projected * gamma)
        using (var channelsFirst = scaled.permute(0, 3, 1, 2))
        {
            branch = drop_path.call(channelsFirst);
        }

        using (branch)
        {
            return x.add(branch, KeptScalars.One);
        }
    }
}
