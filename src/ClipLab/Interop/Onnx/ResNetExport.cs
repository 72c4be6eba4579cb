using ClipLab.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Writes the two bottleneck ResNet towers as ONNX nodes: <see cref="ResNet"/> (7×7 stem, max pool, strided blocks,
/// average pool, projection) and CLIP's <see cref="ModifiedResNet"/> (3-convolution stem, 2×2 average pool,
/// anti-aliased blocks, attention pool). BatchNorm runs on its running statistics, as in evaluation.
/// </summary>
internal static class ResNetExport
{
    private static readonly string[] Stages = ["layer1", "layer2", "layer3", "layer4"];

    /// <summary>Appends a <see cref="ResNet"/> at <paramref name="path"/>: images [B, C, H, W] → features [B, OutputDim].</summary>
    public static string Write(OnnxGraph graph, ResNet tower, string path, string images)
    {
        var x = ConvBatchNormRelu(graph, tower, path, "conv1", "bn1", images);
        x = graph.Node("MaxPool", [x], OnnxAttribute.Ints("kernel_shape", 3, 3), OnnxAttribute.Ints("strides", 2, 2),
            OnnxAttribute.Ints("pads", 1, 1, 1, 1));
        x = WriteStages(graph, tower, path, x);
        var pooled = OnnxLayers.Mean(graph, x, keepDims: false, 2, 3);
        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(tower, "proj"), path + ".proj", pooled);
    }

    /// <summary>Appends a <see cref="ModifiedResNet"/> at <paramref name="path"/>: images [B, C, H, W] → features [B, OutputDim].</summary>
    public static string Write(OnnxGraph graph, ModifiedResNet tower, string path, string images)
    {
        var x = ConvBatchNormRelu(graph, tower, path, "conv1", "bn1", images);
        x = ConvBatchNormRelu(graph, tower, path, "conv2", "bn2", x);
        x = ConvBatchNormRelu(graph, tower, path, "conv3", "bn3", x);
        x = AveragePool(graph, x, 2);
        x = WriteStages(graph, tower, path, x);
        return AttentionPoolExport.Write(graph, ModuleTree.Child<AttentionPool2d>(tower, "attnpool"), path + ".attnpool", x,
            tower.Config.FeatureChannels, tower.Config.Heads);
    }

    private static string WriteStages(OnnxGraph graph, VisionTower tower, string path, string x)
    {
        foreach (var stage in Stages)
        {
            var blocks = ModuleTree.Items<Bottleneck>(tower, stage);
            for (var i = 0; i < blocks.Count; i++)
            {
                x = WriteBottleneck(graph, blocks[i], $"{path}.{stage}.{i}", x);
            }
        }

        return x;
    }

    private static string WriteBottleneck(OnnxGraph graph, Bottleneck block, string path, string x)
    {
        var reduced = ConvBatchNormRelu(graph, block, path, "conv1", "bn1", x);
        var spatial = ConvBatchNormRelu(graph, block, path, "conv2", "bn2", reduced);
        var downsample = ModuleTree.OptionalChild<Sequential>(block, "downsample");
        var pools = block.AntiAliased && block.Stride > 1;
        if (pools) spatial = AveragePool(graph, spatial, block.Stride);
        var expanded = OnnxLayers.BatchNorm(graph, ModuleTree.Child<ChannelBatchNorm>(block, "bn3"), path + ".bn3",
            OnnxLayers.Conv(graph, ModuleTree.Child<Conv2d>(block, "conv3"), path + ".conv3", spatial));

        var shortcut = x;
        if (downsample is not null)
        {
            var input = pools ? AveragePool(graph, x, block.Stride) : x;
            var conv = OnnxLayers.Conv(graph, ModuleTree.Child<Conv2d>(downsample, "0"), path + ".downsample.0", input);
            shortcut = OnnxLayers.BatchNorm(graph, ModuleTree.Child<ChannelBatchNorm>(downsample, "1"), path + ".downsample.1", conv);
        }

        return OnnxLayers.Relu(graph, graph.Node("Add", [expanded, shortcut]));
    }

    private static string ConvBatchNormRelu(OnnxGraph graph, nn.Module owner, string path, string conv, string norm, string x)
    {
        var convolved = OnnxLayers.Conv(graph, ModuleTree.Child<Conv2d>(owner, conv), $"{path}.{conv}", x);
        return OnnxLayers.Relu(graph, OnnxLayers.BatchNorm(graph, ModuleTree.Child<ChannelBatchNorm>(owner, norm), $"{path}.{norm}", convolved));
    }

    private static string AveragePool(OnnxGraph graph, string x, long factor) =>
        graph.Node("AveragePool", [x], OnnxAttribute.Ints("kernel_shape", factor, factor), OnnxAttribute.Ints("strides", factor, factor));
}
