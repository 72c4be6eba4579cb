using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// All-gather that gradients flow back through (open_clip's <c>gather_with_grad</c>): the forward concatenates every
/// rank's rows; the backward sums the incoming gradient over the ranks and hands each rank the rows of its own input.
/// A loss computed on each rank from its local rows against the gathered columns then back-propagates, on every rank,
/// the gradient of the sum of all ranks' losses with respect to that rank's embeddings.
/// </summary>
internal sealed class GatherWithGradient : SingleTensorFunction<GatherWithGradient>
{
    private const string CommunicatorKey = "communicator";
    private const string RowsKey = "rows";

    /// <inheritdoc/>
    public override string Name => nameof(GatherWithGradient);

    /// <summary>The rows of every rank's <paramref name="local"/>, in rank order, differentiable w.r.t. <paramref name="local"/>.</summary>
    public static Tensor Apply(ICommunicator communicator, Tensor local) => apply(communicator, local);

    /// <inheritdoc/>
    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var communicator = (ICommunicator)vars[0];
        var local = (Tensor)vars[1];
        ctx.save_data(CommunicatorKey, communicator);
        ctx.save_data(RowsKey, local.shape[0]);
        return communicator.AllGather(local);
    }

    /// <inheritdoc/>
    public override List<Tensor> backward(AutogradContext ctx, Tensor gradOutput)
    {
        var communicator = (ICommunicator)ctx.get_data(CommunicatorKey);
        long rows = (long)ctx.get_data(RowsKey);
        var summed = gradOutput.contiguous().clone();
        communicator.AllReduceSum(summed);
        var own = summed.narrow(0, communicator.Rank * rows, rows).clone();
        summed.Dispose();
        return [null!, own];
    }
}
