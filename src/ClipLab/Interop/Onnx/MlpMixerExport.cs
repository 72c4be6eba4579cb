using ClipLab.Models;
using TorchSharp.Modules;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Writes an <see cref="MlpMixer"/> tower as ONNX nodes: the patch stem, blocks of token mixing (an MLP across patches)
/// and channel mixing (an MLP across features), final LayerNorm, mean pooling over patches and projection.
/// </summary>
internal static class MlpMixerExport
{
    /// <summary>Appends the tower at <paramref name="path"/>: images [B, C, H, W] → features [B, OutputDim].</summary>
    public static string Write(OnnxGraph graph, MlpMixer tower, string path, string images)
    {
        var patches = OnnxLayers.Conv(graph, ModuleTree.Child<Conv2d>(tower, "stem"), path + ".stem", images);
        var x = OnnxLayers.MapToTokens(graph, patches, tower.Config.Width);
        var blocks = ModuleTree.Items<MixerBlock>(tower, "blocks");
        for (var i = 0; i < blocks.Count; i++)
        {
            var blockPath = $"{path}.blocks.{i}";
            var block = blocks[i];
            var normed = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(block, "norm1"), blockPath + ".norm1", x);
            var perChannel = OnnxLayers.Transpose(graph, normed, 0, 2, 1);
            var tokensMixed = Mlp(graph, ModuleTree.Child<MixerMlp>(block, "mlp_tokens"), blockPath + ".mlp_tokens", perChannel);
            var h = graph.Node("Add", [x, OnnxLayers.Transpose(graph, tokensMixed, 0, 2, 1)]);
            var normed2 = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(block, "norm2"), blockPath + ".norm2", h);
            x = graph.Node("Add", [h, Mlp(graph, ModuleTree.Child<MixerMlp>(block, "mlp_channels"), blockPath + ".mlp_channels", normed2)]);
        }

        var normedOut = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(tower, "norm"), path + ".norm", x);
        var pooled = OnnxLayers.Mean(graph, normedOut, keepDims: false, 1);
        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(tower, "proj"), path + ".proj", pooled);
    }

    private static string Mlp(OnnxGraph graph, MixerMlp mlp, string path, string x)
    {
        var hidden = OnnxLayers.Gelu(graph, OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(mlp, "fc1"), path + ".fc1", x));
        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(mlp, "fc2"), path + ".fc2", hidden);
    }
}
