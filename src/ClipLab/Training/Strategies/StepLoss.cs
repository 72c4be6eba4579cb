using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training.Strategies;

/// <summary>A strategy's loss for one step: the total that is minimised and its named terms (for the metrics log).</summary>
/// <param name="Total">Scalar loss to back-propagate.</param>
/// <param name="Terms">Named scalar terms of <paramref name="Total"/>, e.g. ("clip", …) and ("simclr", …) for SLIP.</param>
public sealed record StepLoss(Tensor Total, IReadOnlyList<(string Name, Tensor Value)> Terms)
{
    /// <summary>The values, read from the tensors.</summary>
    public StepLossValues Read() => new(Total.ToDouble(), Terms.Select(t => (t.Name, t.Value.ToDouble())).ToArray());
}

/// <summary>The values of a <see cref="StepLoss"/>.</summary>
/// <param name="Total">The minimised loss.</param>
/// <param name="Terms">Its named terms.</param>
public sealed record StepLossValues(double Total, IReadOnlyList<(string Name, double Value)> Terms);
