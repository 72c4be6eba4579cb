using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace ClipLab.Models;

/// <summary>
/// Activation checkpointing of one <see cref="TransformerBlock"/> as a custom autograd function (TorchSharp has no
/// <c>torch.utils.checkpoint</c>): the forward runs without recording a graph and keeps only the block's input; the
/// backward runs the block again with gradients on that input and back-propagates through the recomputed graph, which
/// accumulates the block's parameter gradients and yields the input's gradient. Memory per block falls from all its
/// intermediate activations to its input, for one extra forward pass. This is PyTorch's reentrant checkpoint.
/// </summary>
/// <remarks>The block must compute the same function twice: true here (no dropout, no other randomness).</remarks>
internal sealed class CheckpointedBlockFunction : SingleTensorFunction<CheckpointedBlockFunction>
{
    private const string BlockKey = "block";

    /// <inheritdoc/>
    public override string Name => nameof(CheckpointedBlockFunction);

    /// <summary>Applies <paramref name="block"/> to <paramref name="x"/> with checkpointing.</summary>
    public static Tensor Apply(TransformerBlock block, Tensor x) => apply(block, x);

    /// <inheritdoc/>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var block = (TransformerBlock)vars[0];
        var x = (Tensor)vars[1];
        ctx.save_for_backward([x]);
        ctx.save_data(BlockKey, block);
        // The caller (TorchSharp's apply) has switched gradients off, so the block's intermediates are freed as it goes.
        return block.ForwardWithoutCheckpoint(x);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        var block = (TransformerBlock)ctx.get_data(BlockKey);
        var saved = ctx.get_saved_variables();
        using var x = saved[0];
        using var enabled = torch.enable_grad();
        using var input = x.detach().requires_grad_(true);
        using (var output = block.ForwardWithoutCheckpoint(input))
        {
            // A backward inside a backward (libtorch's engine allows re-entry): parameter gradients accumulate in .grad.
            output.backward([gradOutput]);
        }
        // One gradient per forward argument: none for the block, the input's for x.
        return [null!, input.grad!];
    }
}
