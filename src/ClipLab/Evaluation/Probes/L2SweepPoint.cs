using System.Text.Json.Serialization;

namespace ClipLab.Evaluation.Probes;

/// <summary>One value of the linear probe's regularisation sweep and how the probe trained with it did on the validation split.</summary>
/// <param name="L2">L2 strength λ.</param>
/// <param name="ValidationTop1">Top-1 accuracy on the validation split.</param>
/// <param name="Iterations">L-BFGS iterations the fit took.</param>
public sealed record L2SweepPoint(
    [property: JsonPropertyName("l2")] double L2,
    [property: JsonPropertyName("validation_top1")] double ValidationTop1,
    [property: JsonPropertyName("iterations")] int Iterations);
