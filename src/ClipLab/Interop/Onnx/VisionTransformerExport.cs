using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>Writes a <see cref="VisionTransformer"/> (all patches kept, as at inference) as ONNX nodes.</summary>
internal static class VisionTransformerExport
{
    /// <summary>Appends the tower at <paramref name="path"/>: images [B, C, H, W] → features [B, OutputDim].</summary>
    public static string Write(OnnxGraph graph, VisionTransformer tower, string path, string images)
    {
        var config = tower.Config;
        long width = config.Width;
        var patches = OnnxLayers.Conv(graph, ModuleTree.Child<Conv2d>(tower, "conv1"), path + ".conv1", images);
        var tokens = OnnxLayers.MapToTokens(graph, patches, width);

        // The class token and its position are constants, so their sum is folded here, as the patch positions are.
        var positions = ModuleTree.Parameter(tower, "positional_embedding");
        string patchPositions, classToken;
        using (var scope = NewDisposeScope())
        {
            patchPositions = graph.Weight(path + ".positional_embedding.patches", positions.narrow(0, 1, tower.NumPatches));
            var cls = ModuleTree.Parameter(tower, "class_embedding") + positions[0];
            classToken = graph.Weight(path + ".class_embedding.positioned", cls.view(1, 1, width));
        }

        var positioned = graph.Node("Add", [tokens, patchPositions]);
        var classTokens = OnnxLayers.ExpandOverBatch(graph, classToken, images, width);
        var x = graph.Node("Concat", [classTokens, positioned], OnnxAttribute.Int("axis", 1));
        // open_clip-style towers (imported weights) normalise the tokens once before the blocks.
        if (config.PreNorm) x = OnnxLayers.LayerNorm(graph, ModuleTree.Child<LayerNorm>(tower, "ln_pre"), path + ".ln_pre", x);

        var blocks = ModuleTree.Items<TransformerBlock>(tower, "resblocks");
        for (var i = 0; i < blocks.Count; i++)
        {
            x = TransformerBlockExport.Write(graph, blocks[i], $"{path}.resblocks.{i}", x, width, config.Heads, causalMask: null);
        }

        var lnPost = ModuleTree.Child<LayerNorm>(tower, "ln_post");
        string pooled;
        if (config.Pool == "mean")
        {
            var normed = OnnxLayers.LayerNorm(graph, lnPost, path + ".ln_post", x);
            var patchTokens = graph.Node("Slice", [normed, graph.Int64s([1]), graph.Int64s([long.MaxValue]), graph.Int64s([1])]);
            pooled = OnnxLayers.Mean(graph, patchTokens, keepDims: false, 1);
        }
        else
        {
            var cls = graph.Node("Gather", [x, graph.Int64s([0], [])], OnnxAttribute.Int("axis", 1));
            pooled = OnnxLayers.LayerNorm(graph, lnPost, path + ".ln_post", cls);
        }

        return OnnxLayers.Linear(graph, ModuleTree.Child<Linear>(tower, "proj"), path + ".proj", pooled);
    }
}
