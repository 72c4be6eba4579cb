using ClipLab.Configuration;

namespace ClipLab.Training;

/// <summary>
/// Decoupled weight decay and the unit its rate is given in. Each step shrinks every decayed parameter by
/// <see cref="ShrinkAt"/>: <c>p ← p · (1 − shrink)</c>. The two conventions differ in what multiplies the rate:
/// <list type="bullet">
/// <item><c>pytorch</c> (PyTorch's <c>AdamW</c>, open_clip): the current learning rate, shrink = lr(t) · wd;</item>
/// <item><c>big_vision</c> (big_vision, LiT and the paper's 1e-4): the schedule alone, not the base learning rate,
/// shrink = (lr(t) / peak lr) · wd, as <c>optax.add_decayed_weights(wd)</c> followed by <c>scale_by_schedule</c>.</item>
/// </list>
/// With a peak learning rate of 1e-3, a <c>big_vision</c> rate of 1e-4 decays as strongly as a <c>pytorch</c> rate of 0.1.
/// </summary>
/// <param name="Rate">The weight decay rate (<c>training.weightDecay</c>).</param>
/// <param name="Convention">One of <see cref="Conventions"/> (<c>training.weightDecayConvention</c>).</param>
/// <param name="PeakLearningRate">The schedule's peak learning rate (<c>training.learningRate</c>).</param>
public sealed record DecoupledWeightDecay(double Rate, string Convention, double PeakLearningRate)
{
    /// <summary>PyTorch's convention: decay scaled by the learning rate.</summary>
    public const string PyTorch = OptimizerNames.PyTorchDecay;

    /// <summary>big_vision's convention: decay scaled by the schedule only.</summary>
    public const string BigVision = OptimizerNames.BigVisionDecay;

    /// <summary>The conventions <c>training.weightDecayConvention</c> accepts.</summary>
    public static IReadOnlyList<string> Conventions => OptimizerNames.DecayConventions;

    /// <summary>PyTorch's convention for <paramref name="rate"/> (the peak learning rate then plays no part).</summary>
    public static DecoupledWeightDecay ScaledByLearningRate(double rate) => new(rate, PyTorch, 1);

    /// <summary>The fraction by which a decayed parameter shrinks in a step taken at <paramref name="learningRate"/>.</summary>
    public double ShrinkAt(double learningRate) => Convention switch
    {
        PyTorch => learningRate * Rate,
        BigVision => learningRate / PeakLearningRate * Rate,
        _ => throw new InvalidOperationException($"unknown weight decay convention \"{Convention}\"; expected one of: {string.Join(", ", Conventions)}"),
    };
}
