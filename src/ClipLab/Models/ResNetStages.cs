using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// The four residual stages that <see cref="ResNet"/> and <see cref="ModifiedResNet"/> share: stage i holds
/// <c>layers[i]</c> <see cref="Bottleneck"/> blocks of <c>width·2^i</c> planes; the first block of every stage after the
/// first halves the resolution. Mirrors <see cref="Compute.ResNetCost.Stages"/>.
/// </summary>
internal static class ResNetStages
{
    /// <summary>Builds the stages; the result has one block list per entry of <paramref name="layers"/>.</summary>
    public static ModuleList<Bottleneck>[] Build(int inChannels, int width, IReadOnlyList<int> layers, bool antiAliased)
    {
        var stages = new ModuleList<Bottleneck>[layers.Count];
        var channels = inChannels;
        for (var stage = 0; stage < layers.Count; stage++)
        {
            var planes = width << stage;
            stages[stage] = new ModuleList<Bottleneck>();
            for (var block = 0; block < layers[stage]; block++)
            {
                var stride = stage > 0 && block == 0 ? 2 : 1;
                stages[stage].Add(new Bottleneck(channels, planes, stride, antiAliased));
                channels = planes * Bottleneck.Expansion;
            }
        }

        return stages;
    }

    /// <summary>Runs <paramref name="x"/> through every block of <paramref name="stages"/>, disposing each intermediate.</summary>
    public static Tensor Run(IEnumerable<ModuleList<Bottleneck>> stages, Tensor x)
    {
        foreach (var block in stages.SelectMany(stage => stage))
        {
            var next = block.call(x);
            x.Dispose();
            x = next;
        }

        return x;
    }

    /// <summary>
    /// A channels-last copy of <paramref name="images"/> when <paramref name="enabled"/> and the batch has at least
    /// <see cref="ResNetConfig.ChannelsLastMinBatch"/> images, otherwise null (use the input as it is). The copy keeps the
    /// logical [B, C, H, W] shape with NHWC strides, which libtorch's convolutions, BatchNorm and pooling preserve.
    /// </summary>
    public static Tensor? ChannelsLastCopy(Tensor images, bool enabled)
    {
        if (!enabled || images.shape[0] < ResNetConfig.ChannelsLastMinBatch)
        {
            return null;
        }

        using var nhwc = images.permute(0, 2, 3, 1);
        using var dense = nhwc.contiguous();
        return dense.permute(0, 3, 1, 2);
    }
}
