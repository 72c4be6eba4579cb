using ClipLab.Models;
using TorchSharp.Modules;

namespace ClipLab.Interop.Onnx;

/// <summary>Writes CLIP's <see cref="AttentionPool2d"/> as ONNX nodes: the mean token, as the only query, attends over all tokens.</summary>
internal static class AttentionPoolExport
{
    /// <summary>Appends the pool at <paramref name="path"/>: features [B, C, h, w] → [B, outputDim].</summary>
    public static string Write(OnnxGraph graph, AttentionPool2d pool, string path, string features, long channels, long heads)
    {
        var grid = OnnxLayers.MapToTokens(graph, features, channels);
        var mean = OnnxLayers.Mean(graph, grid, keepDims: true, 1);
        var all = graph.Node("Concat", [mean, grid], OnnxAttribute.Int("axis", 1));
        var tokens = graph.Node("Add", [all, graph.Weight(path + ".positional_embedding", ModuleTree.Parameter(pool, "positional_embedding"))]);
        var meanToken = graph.Node("Slice", [tokens, graph.Int64s([0]), graph.Int64s([1]), graph.Int64s([1])]);
        var q = OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(pool, "q_proj"), path + ".q_proj", meanToken);
        var k = OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(pool, "k_proj"), path + ".k_proj", tokens);
        var v = OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(pool, "v_proj"), path + ".v_proj", tokens);
        var pooled = OnnxLayers.Reshape(graph, OnnxLayers.Attention(graph, q, k, v, channels, heads), 0, channels);
        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(pool, "c_proj"), path + ".c_proj", pooled);
    }
}
