namespace ClipLab.Evaluation.Probes;

/// <summary>Few-shot accuracy at one number of shots.</summary>
/// <param name="Shots">Training images per class.</param>
/// <param name="Top1">Test top-1 accuracy averaged over the seeds.</param>
/// <param name="Top1Std">Standard deviation of top-1 over the seeds (population).</param>
/// <param name="PerSeed">Top-1 of each seed, in seed order.</param>
/// <param name="L2">The ridge L2 strength.</param>
public sealed record FewShotResult(int Shots, double Top1, double Top1Std, IReadOnlyList<double> PerSeed, double L2);
