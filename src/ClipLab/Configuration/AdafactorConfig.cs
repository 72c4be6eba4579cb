namespace ClipLab.Configuration;

/// <summary>
/// Adafactor settings (Shazeer &amp; Stern 2018, in big_vision's variant used by LiT and the paper), used with
/// <c>training.optimizer: "adafactor"</c>. The defaults are big_vision's <c>scale_by_adafactor</c>: second moments
/// factored into row and column averages for matrices, β2 following <c>min(1 − t^−decayRate, beta2Cap)</c>, and a
/// momentum of 0.9 over the normalised update, kept in bf16.
/// </summary>
public sealed record AdafactorConfig
{
    /// <summary>Storage types of the momentum: <c>bf16</c> (big_vision's default, half the memory) or <c>fp32</c>.</summary>
    public static readonly IReadOnlyList<string> MomentumDtypes = ["bf16", "fp32"];

    /// <summary>Momentum (β1) over the normalised update; 0 turns momentum off (the original Adafactor). The paper: 0.9.</summary>
    public double Momentum { get; init; } = 0.9;

    /// <summary>
    /// How the momentum is stored between steps, one of <see cref="MomentumDtypes"/>. The step itself is computed in fp32
    /// and only the stored copy is rounded, as in big_vision (<c>optax.ema(..., accumulator_dtype=bfloat16)</c>).
    /// </summary>
    public string MomentumDtype { get; init; } = "bf16";

    /// <summary>Exponent of the second-moment decay schedule β2(t) = 1 − t^−decayRate (t counts steps from 1).</summary>
    public double DecayRate { get; init; } = 0.8;

    /// <summary>Upper bound of β2(t) (the paper's "β2 0.999").</summary>
    public double Beta2Cap { get; init; } = 0.999;

    /// <summary>Added to every squared gradient before it is averaged (optax's <c>epsilon</c>, big_vision: 1e-30).</summary>
    public double Epsilon { get; init; } = 1e-30;

    /// <summary>
    /// A parameter with two or more dimensions is factored over its two largest dimensions when the smaller of those
    /// is at least this size; otherwise (and for vectors) its second moment is kept in full. big_vision: 32.
    /// </summary>
    public int MinDimSizeToFactor { get; init; } = 32;

    internal void Validate()
    {
        if (!(Momentum >= 0 && Momentum < 1)) throw new ConfigException("training.adafactor.momentum", Momentum, "a number in [0, 1) (0 = no momentum; the paper: 0.9)");
        if (!MomentumDtypes.Contains(MomentumDtype))
            throw new ConfigException("training.adafactor.momentumDtype", MomentumDtype, "one of: " + string.Join(", ", MomentumDtypes));
        if (!(DecayRate > 0 && DecayRate <= 1)) throw new ConfigException("training.adafactor.decayRate", DecayRate, "a number in (0, 1] (big_vision: 0.8)");
        if (!(Beta2Cap > 0 && Beta2Cap < 1)) throw new ConfigException("training.adafactor.beta2Cap", Beta2Cap, "a number in (0, 1) (the paper: 0.999)");
        if (!(Epsilon > 0 && Epsilon < 1)) throw new ConfigException("training.adafactor.epsilon", Epsilon, "a small positive number (big_vision: 1e-30)");
        if (MinDimSizeToFactor < 1) throw new ConfigException("training.adafactor.minDimSizeToFactor", MinDimSizeToFactor, "a positive integer (big_vision: 32)");
    }
}
