using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Stochastic depth (Huang et al. 2016) applied to a residual branch: in training each sample's branch is zeroed with
/// probability <see cref="Rate"/> and kept branches are scaled by 1/(1−rate), so the expected output equals the input;
/// in evaluation (or with rate 0) it is the identity.
/// </summary>
public sealed class DropPath : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the layer.</summary>
    /// <param name="rate">Probability of dropping a sample's branch, in [0, 1).</param>
    public DropPath(double rate) : base(nameof(DropPath))
    {
        if (!(rate >= 0 && rate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Drop-path rate must lie in [0, 1).");
        }

        Rate = rate;
    }

    /// <summary>
    /// Per-block rates rising linearly from 0 at the first block to <paramref name="maxRate"/> at the last, over all
    /// <paramref name="blocks"/> blocks of a network (the schedule of ConvNeXt and Swin).
    /// </summary>
    public static IReadOnlyList<double> LinearRates(int blocks, double maxRate) =>
        Enumerable.Range(0, blocks).Select(i => blocks == 1 ? 0.0 : maxRate * i / (blocks - 1)).ToArray();

    /// <summary>Probability of dropping a sample's branch in training.</summary>
    public double Rate { get; }

    /// <summary>
    /// Returns <paramref name="branch"/> [B, ...] with whole samples dropped (training) or unchanged. The unchanged case
    /// returns a new handle, so callers may always dispose the result.
    /// </summary>
    public override Tensor forward(Tensor branch)
    {
        if (!training || Rate == 0)
        {
            return branch.alias();
        }

        // One Bernoulli draw per sample, broadcast over the remaining dimensions.
        var keep = 1 - Rate;
        var maskShape = new long[branch.dim()];
        Array.Fill(maskShape, 1L);
        maskShape[0] = branch.shape[0];
        using var mask = empty(maskShape, branch.dtype, branch.device).bernoulli_(keep);
        using Scalar keepScalar = keep.ToScalar(); // held until after the call (see KeptScalars)
        using var scaled = mask.div_(keepScalar);
        return branch * scaled;
    }
}
