using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// ResNet bottleneck block (He et al. 2016): 1×1 reduce → 3×3 → 1×1 expand (×<see cref="Expansion"/>), each followed by
/// BatchNorm, ReLU after the first two and after the residual sum; a 1×1 projection (+ BatchNorm) on the shortcut when
/// the block changes resolution or width. Input [B, in, H, W] → output [B, planes·4, H', W'].
/// </summary>
/// <remarks>
/// Two ways to downsample: torchvision's v1.5 block strides the 3×3 convolution (and the 1×1 shortcut); CLIP's
/// anti-aliased block keeps every convolution at stride 1 and average-pools instead, after the 3×3 convolution on the
/// main path and before the 1×1 projection on the shortcut. Pooling has no parameters, so both variants have the same
/// state-dict keys as torchvision and open_clip (<c>conv1</c>…<c>bn3</c>, <c>downsample.0</c>, <c>downsample.1</c>).
/// </remarks>
public sealed class Bottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Ratio of output channels to the block's inner width (planes).</summary>
    public const int Expansion = 4;

#pragma warning disable IDE1006 // field names are state-dict keys (torchvision/open_clip naming)
    private readonly Conv2d conv1;
    private readonly ChannelBatchNorm bn1;
    private readonly Conv2d conv2;
    private readonly ChannelBatchNorm bn2;
    private readonly Conv2d conv3;
    private readonly ChannelBatchNorm bn3;
    private readonly Sequential? downsample;
#pragma warning restore IDE1006

    private readonly int _stride;
    private readonly bool _antiAliased;

    /// <summary>Creates a block.</summary>
    /// <param name="inChannels">Channels of the input.</param>
    /// <param name="planes">Inner width; the block outputs <c>planes × 4</c> channels.</param>
    /// <param name="stride">1, or the downsampling factor of this block.</param>
    /// <param name="antiAliased">Downsample by average pooling with stride-1 convolutions (CLIP) instead of strided convolutions (torchvision).</param>
    public Bottleneck(int inChannels, int planes, int stride, bool antiAliased) : base(nameof(Bottleneck))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inChannels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(planes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(stride, 1);
        _stride = stride;
        _antiAliased = antiAliased;
        var outChannels = planes * Expansion;
        int convStride = antiAliased ? 1 : stride;
        conv1 = nn.Conv2d(inChannels, planes, 1, bias: false);
        bn1 = new ChannelBatchNorm(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: convStride, padding: 1, bias: false);
        bn2 = new ChannelBatchNorm(planes);
        conv3 = nn.Conv2d(planes, outChannels, 1, bias: false);
        bn3 = new ChannelBatchNorm(outChannels);
        if (Compute.ResNetCost.HasDownsample(inChannels, planes, stride))
        {
            downsample = nn.Sequential(
                ("0", nn.Conv2d(inChannels, outChannels, 1, stride: convStride, bias: false)),
                ("1", new ChannelBatchNorm(outChannels)));
        }

        RegisterComponents();
    }

    /// <summary>1, or the downsampling factor of this block.</summary>
    public int Stride => _stride;

    /// <summary>Whether the block downsamples by average pooling (CLIP) rather than by strided convolutions (torchvision).</summary>
    public bool AntiAliased => _antiAliased;

    /// <summary>
    /// Sets the gain of the last BatchNorm to zero (or one), so a fresh block starts as its shortcut (Goyal et al. 2017;
    /// timm's <c>zero_init_last</c>, CLIP's <c>bn3.weight = 0</c>): the network starts shallow and deep stacks train stably.
    /// </summary>
    /// <param name="zero">Whether to zero the gain; false restores the BatchNorm default of one.</param>
    public void InitializeLastNorm(bool zero)
    {
        using var _ = no_grad();
        bn3.weight!.fill_(zero ? 0.0 : 1.0);
    }

    /// <summary>The block's convolutions (main path and shortcut), for initialisation by the owning tower.</summary>
    public IEnumerable<Conv2d> Convolutions()
    {
        yield return conv1;
        yield return conv2;
        yield return conv3;
        if (downsample is not null)
        {
            yield return (Conv2d)downsample[0];
        }
    }

    /// <summary>Applies the block to <paramref name="x"/> [B, in, H, W].</summary>
    public override Tensor forward(Tensor x)
    {
        // ReLUs and the residual add run in place on BatchNorm outputs, which BatchNorm's backward does not need.
        Tensor reduced;
        using (var conv = conv1.call(x))
        {
            reduced = bn1.call(conv).relu_();
        }

        Tensor spatial;
        using (reduced)
        using (var conv = conv2.call(reduced))
        {
            spatial = bn2.call(conv).relu_();
        }

        if (_antiAliased && _stride > 1)
        {
            var pooled = nn.functional.avg_pool2d(spatial, _stride);
            spatial.Dispose();
            spatial = pooled;
        }

        Tensor output;
        using (spatial)
        using (var expanded = conv3.call(spatial))
        {
            output = bn3.call(expanded);
        }

        if (downsample is null)
        {
            output.add_(x, KeptScalars.One);
        }
        else if (_antiAliased && _stride > 1)
        {
            using var pooled = nn.functional.avg_pool2d(x, _stride);
            using var shortcut = downsample.call(pooled);
            output.add_(shortcut, KeptScalars.One);
        }
        else
        {
            using var shortcut = downsample.call(x);
            output.add_(shortcut, KeptScalars.One);
        }

        return output.relu_();
    }
}
