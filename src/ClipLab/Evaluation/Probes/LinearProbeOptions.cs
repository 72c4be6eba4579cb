namespace ClipLab.Evaluation.Probes;

/// <summary>How <see cref="LinearProbe"/> splits and searches.</summary>
/// <param name="ValidationFraction">Share of the training features held out to choose the L2 strength.</param>
/// <param name="Seed">Seed of the training/validation split.</param>
/// <param name="Refine">Also try the half-decade neighbours of the best coarse value.</param>
/// <param name="Lbfgs">Optimiser stopping rules.</param>
public sealed record LinearProbeOptions(double ValidationFraction = 0.2, ulong Seed = 0, bool Refine = true, LbfgsOptions? Lbfgs = null)
{
    /// <summary>The defaults.</summary>
    public static LinearProbeOptions Default { get; } = new();
}
