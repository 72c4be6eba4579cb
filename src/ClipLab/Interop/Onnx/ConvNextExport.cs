using ClipLab.Models;
using TorchSharp.Modules;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Writes a <see cref="ConvNext"/> tower as ONNX nodes: the stem and the downsampling layers, blocks of depthwise
/// convolution + channels-last LayerNorm + GELU MLP (+ layer scale), global average pooling, LayerNorm and projection.
/// Drop-path is the identity at inference and writes nothing.
/// </summary>
internal static class ConvNextExport
{
    /// <summary>Appends the tower at <paramref name="path"/>: images [B, C, H, W] → features [B, OutputDim].</summary>
    public static string Write(OnnxGraph graph, ConvNext tower, string path, string images)
    {
        var x = images;
        var downsampling = ModuleTree.Items<Sequential>(tower, "downsample_layers");
        var stages = ModuleTree.Items<ModuleList<ConvNextBlock>>(tower, "stages");
        for (var i = 0; i < stages.Count; i++)
        {
            foreach (var (name, layer) in downsampling[i].named_children())
            {
                var layerPath = $"{path}.downsample_layers.{i}.{name}";
                x = layer switch
                {
                    Conv2d conv => OnnxLayers.Conv(graph, conv, layerPath, x),
                    ChannelsFirstLayerNorm norm => ChannelsFirstLayerNorm(graph, norm, layerPath, x),
                    _ => throw new NotSupportedException($"{layerPath} is a {layer.GetType().Name}, which the ONNX exporter does not write."),
                };
            }

            var blocks = stages[i].children().Cast<ConvNextBlock>().ToList();
            for (var j = 0; j < blocks.Count; j++)
            {
                x = WriteBlock(graph, blocks[j], $"{path}.stages.{i}.{j}", x);
            }
        }

        var pooled = OnnxLayers.Mean(graph, x, keepDims: false, 2, 3);
        var normed = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(tower, "norm"), path + ".norm", pooled);
        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(tower, "proj"), path + ".proj", normed);
    }

    private static string WriteBlock(OnnxGraph graph, ConvNextBlock block, string path, string x)
    {
        var mixed = OnnxLayers.Conv(graph, ModuleTree.Child<Conv2d>(block, "dwconv"), path + ".dwconv", x);
        var channelsLast = OnnxLayers.Transpose(graph, mixed, 0, 2, 3, 1);
        var normed = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(block, "norm"), path + ".norm", channelsLast);
        var hidden = OnnxLayers.Gelu(graph, OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(block, "pwconv1"), path + ".pwconv1", normed));
        var branch = OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(block, "pwconv2"), path + ".pwconv2", hidden);
        var gamma = ModuleTree.OptionalParameter(block, "gamma");
        if (gamma is not null) branch = graph.Node("Mul", [branch, graph.Weight(path + ".gamma", gamma)]);
        return graph.Node("Add", [x, OnnxLayers.Transpose(graph, branch, 0, 3, 1, 2)]);
    }

    private static string ChannelsFirstLayerNorm(OnnxGraph graph, ChannelsFirstLayerNorm norm, string path, string x)
    {
        var channelsLast = OnnxLayers.Transpose(graph, x, 0, 2, 3, 1);
        var normed = OnnxLayers.LayerNorm(graph, ModuleTree.Parameter(norm, "weight"), ModuleTree.Parameter(norm, "bias"), norm.Eps, path, channelsLast);
        return OnnxLayers.Transpose(graph, normed, 0, 3, 1, 2);
    }
}
