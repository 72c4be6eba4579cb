namespace ClipLab.Models.Compute;

/// <summary>
/// Parameter and MAC formulas of the convolutional pieces shared by <see cref="ResNet"/> and <see cref="ModifiedResNet"/>
/// (bias-free convolutions, BatchNorm, <see cref="Bottleneck"/> blocks), so both towers count the same way.
/// </summary>
/// <remarks>
/// Output sides follow the layers' arithmetic exactly: a convolution with kernel k, stride s and padding p maps a side n to
/// ⌊(n + 2p − k) / s⌋ + 1, an average pool of kernel = stride 2 maps n to ⌊n / 2⌋. BatchNorm, ReLU and pooling cost no MACs.
/// </remarks>
public static class ResNetCost
{
    /// <summary>Parameters of a bias-free k×k convolution.</summary>
    public static long ConvParameters(long inChannels, long outChannels, int kernel) => inChannels * outChannels * kernel * kernel;

    /// <summary>Learnable parameters of a BatchNorm over <paramref name="channels"/> (gain and shift; running statistics are buffers).</summary>
    public static long NormParameters(long channels) => 2 * channels;

    /// <summary>Side length after a convolution with <paramref name="kernel"/>, <paramref name="stride"/> and <paramref name="padding"/>.</summary>
    public static long ConvOutputSide(long side, int kernel, int stride, int padding) => (side + 2L * padding - kernel) / stride + 1;

    /// <summary>Side length of a block's output: a strided 3×3 convolution (padding 1), or an average pool of kernel = stride.</summary>
    public static long BlockOutputSide(long side, int stride, bool antiAliased)
        => stride == 1 ? side : antiAliased ? side / stride : ConvOutputSide(side, 3, stride, 1);

    /// <summary>Whether a block needs a projection shortcut: it changes the resolution or the channel count.</summary>
    public static bool HasDownsample(long inChannels, long planes, int stride) => stride != 1 || inChannels != planes * Bottleneck.Expansion;

    /// <summary>
    /// Parameters of one <see cref="Bottleneck"/>: 1×1 reduce, 3×3, 1×1 expand (each with BatchNorm) and, when needed,
    /// the 1×1 projection shortcut with its BatchNorm.
    /// </summary>
    public static long BottleneckParameters(long inChannels, long planes, int stride)
    {
        long outChannels = planes * Bottleneck.Expansion;
        long main = ConvParameters(inChannels, planes, 1) + NormParameters(planes)
            + ConvParameters(planes, planes, 3) + NormParameters(planes)
            + ConvParameters(planes, outChannels, 1) + NormParameters(outChannels);
        long shortcut = HasDownsample(inChannels, planes, stride)
            ? ConvParameters(inChannels, outChannels, 1) + NormParameters(outChannels)
            : 0;
        return main + shortcut;
    }

    /// <summary>
    /// MACs of one <see cref="Bottleneck"/> on a square input of side <paramref name="side"/>. The torchvision (v1.5) block
    /// runs its 3×3 convolution at the output resolution (it carries the stride); the anti-aliased (CLIP) block runs it at
    /// the input resolution and then average-pools, so its strided blocks cost more. The shortcut projection runs at the
    /// output resolution in both (strided 1×1, or average pool then 1×1).
    /// </summary>
    public static double BottleneckMacs(long side, long inChannels, long planes, int stride, bool antiAliased)
    {
        long outSide = BlockOutputSide(side, stride, antiAliased);
        long outChannels = planes * Bottleneck.Expansion;
        double inPixels = side * side;
        double outPixels = outSide * outSide;
        double reduce = inPixels * inChannels * planes;
        double spatial = (antiAliased ? inPixels : outPixels) * planes * planes * 9;
        double expand = outPixels * planes * outChannels;
        double shortcut = HasDownsample(inChannels, planes, stride) ? outPixels * inChannels * outChannels : 0;
        return reduce + spatial + expand + shortcut;
    }

    /// <summary>
    /// Parameters and MACs of the four residual stages that both towers share: stage i has <c>layers[i]</c> blocks of
    /// <c>width·2^i</c> planes, the first block of stages 2–4 halving the resolution.
    /// </summary>
    /// <param name="side">Side length entering the first stage.</param>
    /// <param name="inChannels">Channels entering the first stage (the stem width).</param>
    /// <param name="width">Planes of the first stage.</param>
    /// <param name="layers">Blocks per stage.</param>
    /// <param name="antiAliased">Whether strided blocks average-pool (CLIP) rather than stride their 3×3 convolution.</param>
    /// <returns>Parameters, MACs, and the side and channel count leaving the last stage.</returns>
    public static (long Parameters, double Macs, long Side, long Channels) Stages(long side, long inChannels, int width, IReadOnlyList<int> layers, bool antiAliased)
    {
        ArgumentNullException.ThrowIfNull(layers);
        long parameters = 0;
        double macs = 0;
        long channels = inChannels;
        for (var stage = 0; stage < layers.Count; stage++)
        {
            long planes = (long)width << stage;
            for (var block = 0; block < layers[stage]; block++)
            {
                int stride = stage > 0 && block == 0 ? 2 : 1;
                parameters += BottleneckParameters(channels, planes, stride);
                macs += BottleneckMacs(side, channels, planes, stride, antiAliased);
                side = BlockOutputSide(side, stride, antiAliased);
                channels = planes * Bottleneck.Expansion;
            }
        }

        return (parameters, macs, side, channels);
    }
}
