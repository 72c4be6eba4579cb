using ClipLab.Models;
using ClipLab.Training.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// Computes a step's loss over the whole contrastive batch and leaves its gradients in the model's parameters, encoding
/// the batch in micro-batches to bound memory, as open_clip's <c>--accum-freq</c>: first every micro-batch is encoded
/// without gradients and its outputs cached; then each micro-batch is encoded again with gradients, put in place of
/// its cached outputs, and the loss of the whole batch is back-propagated. Pass j thereby yields the gradient through
/// micro-batch j's outputs, and the passes sum to the full batch's gradient. The loss is computed whole in every pass,
/// so only the first pass lets gradient reach the temperature and bias, which would otherwise be counted once per pass.
/// </summary>
/// <remarks>
/// Exact up to float rounding for models whose outputs per sample do not depend on the rest of the micro-batch. SLIP's
/// head uses BatchNorm, whose statistics are then those of a micro-batch (as with BatchNorm towers in open_clip).
/// </remarks>
public static class GradientAccumulation
{
    /// <summary>
    /// Back-propagates <paramref name="strategy"/>'s loss of <paramref name="inputs"/>, encoded in
    /// <paramref name="microBatches"/> slices (1 = all at once), and returns the loss values.
    /// </summary>
    /// <exception cref="ArgumentException">The batch does not split into equal micro-batches.</exception>
    public static StepLossValues Backward(ClipModel model, TrainingStrategy strategy, StepInputs inputs, int microBatches)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(strategy);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(microBatches, 1);
        if (microBatches == 1)
        {
            using var scope = torch.NewDisposeScope();
            var loss = strategy.Loss(model, strategy.Encode(model, inputs));
            loss.Total.backward();
            return loss.Read();
        }

        long count = inputs.Count;
        if (count % microBatches != 0)
            throw new ArgumentException($"a batch of {count} does not split into {microBatches} equal micro-batches", nameof(microBatches));
        long size = count / microBatches;
        using var outer = torch.NewDisposeScope();
        var cached = new EncodedBatch[microBatches];
        using (torch.no_grad())
        {
            for (int j = 0; j < microBatches; j++)
                cached[j] = strategy.Encode(model, inputs.Slice(j * size, size));
        }

        StepLossValues? values = null;
        for (int j = 0; j < microBatches; j++)
        {
            // Each pass's activations die with its scope, so memory holds one micro-batch's graph at a time.
            using var scope = torch.NewDisposeScope();
            var parts = (EncodedBatch[])cached.Clone();
            parts[j] = strategy.Encode(model, inputs.Slice(j * size, size));
            var loss = strategy.Loss(model, EncodedBatch.Concat(parts), trainTemperature: j == 0);
            loss.Total.backward();
            values ??= loss.Read();
        }
        return values!;
    }
}
