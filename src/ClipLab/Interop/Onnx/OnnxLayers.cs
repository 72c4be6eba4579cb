using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>
/// The layers the ClipLab towers are built from, each written as ONNX nodes with the same arithmetic as its TorchSharp
/// forward: linear maps, LayerNorm, convolutions, inference-mode BatchNorm, exact (erf) GELU, multi-head attention and L2
/// normalisation. Initializer names are the layers' state-dict paths, so a graph reads like the checkpoint.
/// </summary>
internal static class OnnxLayers
{
    /// <summary><c>x·Wᵀ + b</c> over the last axis of <paramref name="x"/> for a <see cref="TorchSharp.Modules.Linear"/> layer at <paramref name="path"/>.</summary>
    public static string Linear(OnnxGraph graph, Linear layer, string path, string x) =>
        Linear(graph, layer.weight!, layer.bias, path, x);

    /// <summary><c>x·Wᵀ + b</c> over the last axis of <paramref name="x"/> with weight [out, in] and an optional bias [out].</summary>
    public static string Linear(OnnxGraph graph, Tensor weight, Tensor? bias, string path, string x)
    {
        using var transposed = weight.t();
        var product = graph.Node("MatMul", [x, graph.Weight(path + ".weight.T", transposed)]);
        return bias is null ? product : graph.Node("Add", [product, graph.Weight(path + ".bias", bias)]);
    }

    /// <summary>LayerNorm over the last axis of <paramref name="x"/> with the layer's gain, shift and epsilon.</summary>
    public static string LayerNorm(OnnxGraph graph, LayerNorm layer, string path, string x) =>
        LayerNorm(graph, layer.weight!, layer.bias!, layer.eps, path, x);

    /// <summary>LayerNorm over the last axis of <paramref name="x"/> with explicit gain, shift and epsilon.</summary>
    public static string LayerNorm(OnnxGraph graph, Tensor weight, Tensor bias, double eps, string path, string x) =>
        graph.Node("LayerNormalization", [x, graph.Weight(path + ".weight", weight), graph.Weight(path + ".bias", bias)],
            OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", (float)eps));

    /// <summary>A 2-D convolution of NCHW <paramref name="x"/> with the layer's kernel, stride, padding, groups and bias.</summary>
    public static string Conv(OnnxGraph graph, Conv2d layer, string path, string x)
    {
        if (layer.padding_type is not null || layer.padding_mode != PaddingModes.Zeros)
        {
            throw new NotSupportedException($"{path}: the ONNX exporter writes zero-padded convolutions with explicit padding only.");
        }

        var inputs = new List<string> { x, graph.Weight(path + ".weight", layer.weight!) };
        if (layer.bias is not null) inputs.Add(graph.Weight(path + ".bias", layer.bias));
        var pad = layer.padding ?? throw new NotSupportedException($"{path}: the ONNX exporter needs the convolution's explicit padding.");
        return graph.Node("Conv", inputs,
            OnnxAttribute.Ints("kernel_shape", layer.kernel_size),
            OnnxAttribute.Ints("strides", layer.stride),
            OnnxAttribute.Ints("pads", pad[0], pad[1], pad[0], pad[1]),
            OnnxAttribute.Ints("dilations", layer.dilation),
            OnnxAttribute.Int("group", layer.groups));
    }

    /// <summary>BatchNorm of NCHW <paramref name="x"/> with the layer's running statistics (inference mode, as evaluation runs it).</summary>
    public static string BatchNorm(OnnxGraph graph, ChannelBatchNorm layer, string path, string x) =>
        graph.Node("BatchNormalization",
            [x, graph.Weight(path + ".weight", layer.weight!), graph.Weight(path + ".bias", layer.bias!),
             graph.Weight(path + ".running_mean", layer.running_mean!), graph.Weight(path + ".running_var", layer.running_var!)],
            OnnxAttribute.Float("epsilon", (float)layer.Eps));

    /// <summary>ReLU.</summary>
    public static string Relu(OnnxGraph graph, string x) => graph.Node("Relu", [x]);

    /// <summary>Exact GELU, <c>x·½·(1 + erf(x/√2))</c>, as TorchSharp's default (opset 17 has no Gelu operator).</summary>
    public static string Gelu(OnnxGraph graph, string x)
    {
        var erf = graph.Node("Erf", [graph.Node("Div", [x, graph.Scalar(MathF.Sqrt(2f))])]);
        var gate = graph.Node("Add", [erf, graph.Scalar(1f)]);
        return graph.Node("Mul", [graph.Node("Mul", [x, gate]), graph.Scalar(0.5f)]);
    }

    /// <summary>Permutes the axes of <paramref name="x"/>.</summary>
    public static string Transpose(OnnxGraph graph, string x, params long[] perm) =>
        graph.Node("Transpose", [x], OnnxAttribute.Ints("perm", perm));

    /// <summary>Reshapes <paramref name="x"/>; 0 keeps that axis's size and -1 infers one axis, so batch sizes stay dynamic.</summary>
    public static string Reshape(OnnxGraph graph, string x, params long[] shape) =>
        graph.Node("Reshape", [x, graph.Int64s(shape)]);

    /// <summary>Mean over <paramref name="axes"/> of <paramref name="x"/>.</summary>
    public static string Mean(OnnxGraph graph, string x, bool keepDims, params long[] axes) =>
        graph.Node("ReduceMean", [x], OnnxAttribute.Ints("axes", axes), OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>[B, C, H, W] → [B, H·W, C], the token sequence of a feature map (row-major positions).</summary>
    public static string MapToTokens(OnnxGraph graph, string x, long channels) =>
        Transpose(graph, Reshape(graph, x, 0, channels, -1), 0, 2, 1);

    /// <summary>
    /// Multi-head scaled dot-product attention of queries [B, Nq, W] over keys and values [B, Nk, W] with
    /// <paramref name="heads"/> heads, optionally adding <paramref name="mask"/> [Nq, Nk] to the scores; returns [B, Nq, W].
    /// </summary>
    public static string Attention(OnnxGraph graph, string q, string k, string v, long width, long heads, string? mask = null)
    {
        var headDim = width / heads;
        var qh = Transpose(graph, Reshape(graph, q, 0, 0, heads, headDim), 0, 2, 1, 3);
        var kt = Transpose(graph, Reshape(graph, k, 0, 0, heads, headDim), 0, 2, 3, 1);
        var vh = Transpose(graph, Reshape(graph, v, 0, 0, heads, headDim), 0, 2, 1, 3);
        var scores = graph.Node("Mul", [graph.Node("MatMul", [qh, kt]), graph.Scalar((float)(1.0 / Math.Sqrt(headDim)))]);
        if (mask is not null) scores = graph.Node("Add", [scores, mask]);
        var weights = graph.Node("Softmax", [scores], OnnxAttribute.Int("axis", -1));
        var merged = Transpose(graph, graph.Node("MatMul", [weights, vh]), 0, 2, 1, 3);
        return Reshape(graph, merged, 0, 0, width);
    }

    /// <summary><c>x / max(‖x‖₂, 1e-12)</c> over the last axis, as <c>nn.functional.normalize</c>.</summary>
    public static string L2Normalize(OnnxGraph graph, string x)
    {
        var norm = graph.Node("ReduceL2", [x], OnnxAttribute.Ints("axes", -1), OnnxAttribute.Int("keepdims", 1));
        return graph.Node("Div", [x, graph.Node("Max", [norm, graph.Scalar(1e-12f)])]);
    }

    /// <summary>
    /// <paramref name="row"/> ([1, 1, W], or [B, 1, 1]) broadcast to [B, 1, W], B being the batch of
    /// <paramref name="batchSource"/> (any value whose first axis is the batch), read at run time so it stays dynamic.
    /// </summary>
    public static string ExpandOverBatch(OnnxGraph graph, string row, string batchSource, long width)
    {
        var batch = graph.Node("Slice", [graph.Node("Shape", [batchSource]), graph.Int64s([0]), graph.Int64s([1])]);
        var shape = graph.Node("Concat", [batch, graph.Int64s([1, width])], OnnxAttribute.Int("axis", 0));
        return graph.Node("Expand", [row, shape]);
    }
}
