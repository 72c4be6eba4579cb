using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// Writes a <see cref="TextTransformer"/> as ONNX nodes for token rows of the full context length (the tokenizer always
/// pads to it): embedding lookup, causal blocks, pooling at the first end-of-text token (the last position when a row has
/// none), final LayerNorm and projection.
/// </summary>
internal static class TextTransformerExport
{
    /// <summary>Appends the tower at <paramref name="path"/>: tokens [B, ContextLength] (int64) → features [B, OutputDim].</summary>
    public static string Write(OnnxGraph graph, TextTransformer tower, string path, string tokens)
    {
        var config = tower.Config;
        long width = config.Width;
        long length = config.ContextLength;
        var table = ModuleTree.Child<Embedding>(tower, "token_embedding");
        var embedded = graph.Node("Gather", [graph.Weight(path + ".token_embedding.weight", table.weight!), tokens], OnnxAttribute.Int("axis", 0));
        var x = graph.Node("Add", [embedded, graph.Weight(path + ".positional_embedding", ModuleTree.Parameter(tower, "positional_embedding"))]);

        // -inf above the diagonal: a position attends to itself and earlier positions only, as SDPA's is_causal.
        var mask = new float[length * length];
        for (long i = 0; i < length; i++)
        {
            for (long j = i + 1; j < length; j++) mask[i * length + j] = float.NegativeInfinity;
        }

        var causalMask = graph.Floats(mask, [length, length]);
        var blocks = ModuleTree.Items<TransformerBlock>(tower, "resblocks");
        for (var i = 0; i < blocks.Count; i++)
        {
            x = TransformerBlockExport.Write(graph, blocks[i], $"{path}.resblocks.{i}", x, width, config.Heads, causalMask);
        }

        var pooled = Pool(graph, x, tokens, config.EndOfTextId, length, width);
        var normed = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(tower, "ln_final"), path + ".ln_final", pooled);
        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(tower, "text_projection"), path + ".text_projection", normed);
    }

    private static string Pool(OnnxGraph graph, string x, string tokens, long endOfText, long length, long width)
    {
        // ArgMax returns the first maximal index, so it finds the first end-of-text token as TextTransformer.EndOfTextIndex does.
        var isEnd = graph.Node("Cast", [graph.Node("Equal", [tokens, graph.Int64s([endOfText], [])])], OnnxAttribute.Int("to", (long)Schema.TensorProto.Types.DataType.Int32));
        var first = graph.Node("ArgMax", [isEnd], OnnxAttribute.Int("axis", 1), OnnxAttribute.Int("keepdims", 1));
        var hasEnd = graph.Node("Cast", [graph.Node("ReduceMax", [isEnd], OnnxAttribute.Ints("axes", 1), OnnxAttribute.Int("keepdims", 1))],
            OnnxAttribute.Int("to", (long)Schema.TensorProto.Types.DataType.Bool));
        var index = graph.Node("Where", [hasEnd, first, graph.Int64s([length - 1], [])]);
        var gatherIndex = OnnxLayers.ExpandOverBatch(graph, OnnxLayers.Reshape(graph, index, -1, 1, 1), x, width);
        var gathered = graph.Node("GatherElements", [x, gatherIndex], OnnxAttribute.Int("axis", 1));
        return graph.Node("Squeeze", [gathered, graph.Int64s([1])]);
    }
}
