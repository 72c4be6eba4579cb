namespace ClipLab.Evaluation.Probes;

/// <summary>A trained linear probe and its accuracy on each test set.</summary>
/// <param name="L2">The L2 strength chosen on the validation split.</param>
/// <param name="ValidationTop1">Validation accuracy at that strength.</param>
/// <param name="Sweep">Every strength tried, in the order tried.</param>
/// <param name="TrainImages">Images the final probe was trained on (training and validation splits together).</param>
/// <param name="Iterations">L-BFGS iterations of the final fit.</param>
/// <param name="Converged">Whether the final fit met its tolerance.</param>
/// <param name="Tests">Accuracy on each test set, by name.</param>
public sealed record LinearProbeResult(double L2, double ValidationTop1, IReadOnlyList<L2SweepPoint> Sweep, int TrainImages,
    int Iterations, bool Converged, IReadOnlyDictionary<string, ClassificationAccuracy> Tests);
