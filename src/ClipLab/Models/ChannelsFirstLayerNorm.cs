using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// LayerNorm over the channel dimension of a [B, C, H, W] feature map (each pixel normalised across its C channels), with
/// a learned per-channel gain and bias; timm's <c>LayerNorm2d</c>.
/// </summary>
public sealed class ChannelsFirstLayerNorm : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys
    private readonly Parameter weight;
    private readonly Parameter bias;
#pragma warning restore IDE1006

    private readonly long[] _normalizedShape;
    private readonly double _eps;

    /// <summary>TEMPORARY benchmark switch: true = permute + layer_norm, false = by hand over dim 1.</summary>
    internal static bool UsePermute = true;

    /// <summary>Creates the norm with unit gain and zero bias.</summary>
    /// <param name="channels">Number of channels C.</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    public ChannelsFirstLayerNorm(int channels, double eps = 1e-6) : base(nameof(ChannelsFirstLayerNorm))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        _normalizedShape = [channels];
        _eps = eps;
        weight = new Parameter(ones(channels));
        bias = new Parameter(zeros(channels));
        // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
        weight.DetachFromDisposeScope();
        bias.DetachFromDisposeScope();
        RegisterComponents();
    }

    /// <summary>Normalises <paramref name="x"/> [B, C, H, W] over C.</summary>
    public override Tensor forward(Tensor x)
    {
        if (UsePermute)
        {
            using var nhwc = x.permute(0, 2, 3, 1);
            using var normed = nn.functional.layer_norm(nhwc, _normalizedShape, weight, bias, _eps);
            return normed.permute(0, 3, 1, 2);
        }

        using var scope = NewDisposeScope();
        var mean = x.mean([1], keepdim: true);
        var centered = x - mean;
        var variance = centered.square().mean([1], keepdim: true);
        var inv = (variance + _eps).rsqrt();
        var w = weight.view(1, -1, 1, 1);
        var b = bias.view(1, -1, 1, 1);
        return (centered * inv * w + b).MoveToOuterDisposeScope();
    }
}
