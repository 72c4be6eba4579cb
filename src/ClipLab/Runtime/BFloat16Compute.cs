using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Runtime;

/// <summary>
/// bf16 mixed precision for a <see cref="ClipModel"/>, built with module hooks because TorchSharp has no autocast.
/// The layers that do the matrix work (Linear, convolutions, Swin's window attention with its bias table) hold bf16
/// weights and cast their input to bf16, so matrix products, convolutions and attention run in bf16. Normalisation layers
/// keep fp32 parameters and cast their input to fp32. Each tower's output is cast back to fp32, so normalisation of the
/// embeddings, the logit scale, softmax of the logits and the loss are fp32, and the residual stream stays fp32 (fp32 plus
/// a bf16 branch promotes to fp32), as under PyTorch's autocast. Embeddings, positional and class embeddings stay fp32.
/// </summary>
/// <remarks>
/// The model's bf16 weights are a working copy: training keeps fp32 master weights and the optimizer state in a
/// separate model (<see cref="MixedPrecisionModel"/>); evaluation in bf16 may convert a loaded model in place.
/// </remarks>
public static class BFloat16Compute
{
    /// <summary>Converts <paramref name="model"/> in place to bf16 compute and returns how many layers now compute in bf16.</summary>
    public static int Apply(ClipModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        int converted = 0;
        foreach (var module in model.modules().ToList())
        {
            switch (module)
            {
                case Linear or Conv1d or Conv2d or Conv3d or WindowAttention:
                    var layer = (nn.Module<Tensor, Tensor>)module;
                    layer.to(ScalarType.BFloat16);
                    layer.register_forward_pre_hook((_, input) => Cast(input, ScalarType.BFloat16));
                    converted++;
                    break;
                case LayerNorm or GroupNorm or ChannelBatchNorm or ChannelsFirstLayerNorm:
                    ((nn.Module<Tensor, Tensor>)module).register_forward_pre_hook((_, input) => Cast(input, ScalarType.Float32));
                    break;
            }
        }
        foreach (var tower in new nn.Module<Tensor, Tensor>?[] { model.Visual, model.Text, model.SimClrHead })
            tower?.register_forward_hook((_, _, output) => Cast(output, ScalarType.Float32));
        return converted;
    }

    /// <summary>Whether <paramref name="model"/> holds bf16 parameters (was converted by <see cref="Apply"/>).</summary>
    public static bool IsApplied(ClipModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.parameters().Any(p => p.dtype == ScalarType.BFloat16);
    }

    private static Tensor Cast(Tensor input, ScalarType type) =>
        input.dtype == type || !input.is_floating_point() ? input : input.to(type);
}
