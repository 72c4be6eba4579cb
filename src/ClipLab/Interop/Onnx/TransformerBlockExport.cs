using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Writes a <see cref="TransformerBlock"/> as ONNX nodes: <c>x + Attn(LN(x))</c> then <c>x + MLP(LN(x))</c>. The fused QKV
/// projection is split into three MatMuls (one per role), which ONNX Runtime fuses back as it sees fit.
/// </summary>
internal static class TransformerBlockExport
{
    /// <summary>Appends the block at <paramref name="path"/> to the graph; <paramref name="x"/> is [B, N, W]; returns [B, N, W].</summary>
    /// <param name="graph">Graph under construction.</param>
    /// <param name="block">The block.</param>
    /// <param name="path">State-dict path of the block (initializer names).</param>
    /// <param name="x">Input value.</param>
    /// <param name="width">Residual width.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="causalMask">Additive mask [N, N] for causal blocks, else null.</param>
    public static string Write(OnnxGraph graph, TransformerBlock block, string path, string x, long width, long heads, string? causalMask)
    {
        if (block.Causal != causalMask is not null)
        {
            throw new InvalidOperationException($"{path}: causal blocks need the causal mask and only they may have one.");
        }

        var normed = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(block, "ln_1"), path + ".ln_1", x);
        var inProj = ModuleTree.Child<Linear>(block, "in_proj");
        var roles = new[] { "q", "k", "v" }.Select((role, i) =>
        {
            using var scope = NewDisposeScope();
            return OnnxLayers.Linear(graph, inProj.weight!.narrow(0, i * width, width), inProj.bias!.narrow(0, i * width, width),
                $"{path}.in_proj.{role}", normed);
        }).ToArray();
        var attended = OnnxLayers.Attention(graph, roles[0], roles[1], roles[2], width, heads, causalMask);
        var projected = OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(block, "out_proj"), path + ".out_proj", attended);
        var h = graph.Node("Add", [x, projected]);

        var normed2 = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(block, "ln_2"), path + ".ln_2", h);
        var hidden = OnnxLayers.Gelu(graph, OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(block, "c_fc"), path + ".c_fc", normed2));
        var mlp = OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(block, "c_proj"), path + ".c_proj", hidden);
        return graph.Node("Add", [h, mlp]);
    }
}
