using static TorchSharp.torch;

namespace ClipLab.Evaluation.Probes;

/// <summary>Where <see cref="LbfgsMinimizer"/> stopped.</summary>
/// <param name="Solution">The minimiser found (float64, shaped as the start); the caller owns it.</param>
/// <param name="Loss">Objective value there.</param>
/// <param name="Iterations">Iterations run.</param>
/// <param name="Converged">Whether a tolerance was met (false: the iteration limit was hit or the line search found no decrease).</param>
public sealed record LbfgsResult(Tensor Solution, double Loss, int Iterations, bool Converged);
