using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>
/// Per-dimension standardisation learned on a classifier's training features: x ↦ (x − mean) / (std + ε), in
/// float64. Unit-norm embeddings have tiny per-dimension spreads (about 1/√E); standardising makes the probe's
/// optimisation well conditioned and the few-shot bias feature comparable to the others, as big_vision's
/// few-shot evaluator does.
/// </summary>
public sealed class FeatureStandardizer : IDisposable
{
    /// <summary>Added to the standard deviation so constant dimensions do not divide by zero (big_vision's value).</summary>
    public const double Epsilon = 1e-5;

    private readonly Tensor _mean;
    private readonly Tensor _scale;

    /// <summary>Learns the mean and standard deviation (population) of each column of <paramref name="features"/> [N, E].</summary>
    public FeatureStandardizer(Tensor features)
    {
        ArgumentNullException.ThrowIfNull(features);
        if (features.dim() != 2 || features.shape[0] == 0) throw new ArgumentException("features must be [N, E] with N > 0");
        using var x = features.to_type(ScalarType.Float64);
        _mean = x.mean(new long[] { 0 }, keepdim: true);
        using var std = x.std(new long[] { 0 }, unbiased: false, keepdim: true);
        _scale = std.add(Epsilon);
    }

    /// <summary>Standardised float64 copy of <paramref name="features"/> [M, E].</summary>
    public Tensor Apply(Tensor features)
    {
        using var x = features.to_type(ScalarType.Float64);
        using var centred = x.sub(_mean);
        return centred.div(_scale);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _mean.Dispose();
        _scale.Dispose();
    }
}
