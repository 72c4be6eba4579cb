using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Losses;

/// <summary>
/// NT-Xent, the normalised temperature-scaled cross entropy of SimCLR (Chen et al. 2020) as SLIP uses it: the
/// 2N views of N images are L2-normalised, and each view must pick its sibling out of the other 2N − 1 views.
/// </summary>
public static class SimClrLoss
{
    /// <summary>SLIP's temperature for the SimCLR objective (its <c>--ssl-temp</c>).</summary>
    public const double DefaultTemperature = 0.1;

    /// <summary>
    /// Computes the mean over all 2N views of <c>−log softmax(sim / τ)[sibling]</c>, where a view's similarities exclude
    /// itself. Equals SLIP's <c>(CE([ab, aa]) + CE([ba, bb])) / 2</c>. Inputs need not be normalised (this normalises them).
    /// </summary>
    /// <param name="first">Head outputs of the first view of each image [N, D].</param>
    /// <param name="second">Head outputs of the second view [N, D] (row i is image i).</param>
    /// <param name="temperature">Softmax temperature τ (SLIP: 0.1).</param>
    /// <returns>Scalar loss tensor.</returns>
    public static Tensor Compute(Tensor first, Tensor second, double temperature = DefaultTemperature)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.dim() != 2 || !first.shape.SequenceEqual(second.shape))
        {
            throw new ArgumentException(
                $"Views must both be [N, D]; got [{string.Join(", ", first.shape)}] and [{string.Join(", ", second.shape)}].",
                nameof(second));
        }

        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "must be positive");
        var n = first.shape[0];
        using var views = cat([first, second], 0);
        using var normed = nn.functional.normalize(views, p: 2.0, dim: -1);
        using var normedT = normed.t();
        using var similarity = normed.matmul(normedT);
        // Scalars held until after each call (see Models.KeptScalars).
        using Scalar temperatureScalar = temperature.ToScalar(), minusInfinity = double.NegativeInfinity.ToScalar(), offset = n.ToScalar(), candidates = (2 * n).ToScalar();
        using var logits = similarity.div(temperatureScalar);
        // A view is not its own candidate: −inf on the diagonal gives it zero probability without a special case.
        using var self = torch.eye(2 * n, dtype: ScalarType.Bool, device: logits.device);
        using var masked = logits.masked_fill(self, minusInfinity);
        // Row i (first view of image i) targets row i + N, and row i + N targets row i.
        using var index = arange(KeptScalars.Zero, candidates, KeptScalars.One, dtype: ScalarType.Int64, device: logits.device);
        using var shifted = index.add(offset, KeptScalars.One);
        using var targets = shifted.remainder(candidates);
        return nn.functional.cross_entropy(masked, targets);
    }
}
