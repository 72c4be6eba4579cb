using ClipLab.Models;
using ClipLab.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>
/// SLIP's SimCLR term (NT-Xent) over the global batch of a data-parallel job: each rank all-gathers both views, and each
/// of its own 2B views must pick its sibling out of the other 2G − 1 views of the whole batch. The mean over ranks equals
/// <see cref="SimClrLoss"/> on the global batch.
/// </summary>
public static class GlobalSimClrLoss
{
    /// <summary>This rank's share of the global loss; with one rank it is exactly <see cref="SimClrLoss.Compute"/>.</summary>
    public static Tensor Compute(Tensor first, Tensor second, ICommunicator communicator, double temperature = SimClrLoss.DefaultTemperature)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        if (communicator.Size == 1) return SimClrLoss.Compute(first, second, temperature);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive");
        using var scope = torch.NewDisposeScope();
        long rows = first.shape[0];
        long global = rows * communicator.Size;
        long offset = communicator.Rank * rows;
        var queries = nn.functional.normalize(cat([first, second], 0), p: 2.0, dim: -1);
        var allFirst = GatherWithGradient.Apply(communicator, first);
        var allSecond = GatherWithGradient.Apply(communicator, second);
        var candidates = nn.functional.normalize(cat([allFirst, allSecond], 0), p: 2.0, dim: -1);
        // Scalars held until after each call (see Models.KeptScalars).
        using Scalar temperatureScalar = temperature.ToScalar(), offsetScalar = offset.ToScalar(), globalScalar = global.ToScalar(),
            minusInfinity = double.NegativeInfinity.ToScalar(), rowsScalar = rows.ToScalar();
        var logits = queries.matmul(candidates.t()).div(temperatureScalar);
        // Local first view i is global candidate offset + i, its sibling offset + i + G; the second view the other way round.
        var local = arange(KeptScalars.Zero, rowsScalar, KeptScalars.One, dtype: ScalarType.Int64, device: logits.device).add(offsetScalar, KeptScalars.One);
        var sibling = local.add(globalScalar, KeptScalars.One);
        var selves = cat([local, sibling], 0);
        var targets = cat([sibling, local], 0);
        var self = torch.zeros(2 * rows, 2 * global, dtype: ScalarType.Bool, device: logits.device)
            .scatter_(1, selves.unsqueeze(1), torch.ones(2 * rows, 1, dtype: ScalarType.Bool, device: logits.device));
        var masked = logits.masked_fill(self, minusInfinity);
        return nn.functional.cross_entropy(masked, targets).MoveToOuterDisposeScope();
    }
}
