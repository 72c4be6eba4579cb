namespace ClipLab.Training.Strategies;

/// <summary>
/// Training compute of a strategy, for the <c>gflops</c> metric and <c>training.budgetGflops</c>. A run has at most two
/// phases: the main one, and a final one of <see cref="FinalPhaseSamples"/> (rounded up to whole steps) at another cost
/// (FLIP's unmasked tuning). Costs are per image–text sample and count every pass the strategy makes (see
/// <see cref="Models.Compute.TrainingCompute"/>: training = 3 × forward).
/// </summary>
/// <param name="FlopsPerSample">Training FLOPs per sample in the main phase.</param>
/// <param name="FinalPhaseFlopsPerSample">Training FLOPs per sample in the final phase.</param>
/// <param name="FinalPhaseSamples">Samples at the end of the run trained in the final phase (0 = none).</param>
public sealed record StrategyCost(double FlopsPerSample, double FinalPhaseFlopsPerSample, long FinalPhaseSamples)
{
    /// <summary>A strategy with one cost throughout.</summary>
    public StrategyCost(double flopsPerSample) : this(flopsPerSample, flopsPerSample, 0) { }

    /// <summary>
    /// Training FLOPs per sample under the paper's accounting convention where it differs from the honest count above
    /// (SLIP: 2× CLIP), for reports only; null when the two agree. Budgets and the <c>gflops</c> metric use the honest count.
    /// </summary>
    public double? PaperConventionFlopsPerSample { get; init; }

    /// <summary>Steps of the final phase: ⌈<see cref="FinalPhaseSamples"/> / batch⌉, so at least that many samples train in it.</summary>
    public long FinalPhaseSteps(int batchSize) => (FinalPhaseSamples + batchSize - 1) / batchSize;

    /// <summary>Whether step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/> belongs to the final phase.</summary>
    public bool IsFinalPhase(long step, long totalSteps, int batchSize) => step >= totalSteps - FinalPhaseSteps(batchSize);

    /// <summary>FLOPs spent by the first <paramref name="steps"/> steps of a run of <paramref name="totalSteps"/>.</summary>
    public double FlopsSpent(long steps, long totalSteps, int batchSize)
    {
        long mainSteps = Math.Max(0, totalSteps - FinalPhaseSteps(batchSize));
        long main = Math.Min(steps, mainSteps);
        long final = Math.Max(0, steps - mainSteps);
        return (double)batchSize * (main * FlopsPerSample + final * FinalPhaseFlopsPerSample);
    }

    /// <summary>
    /// The most steps whose compute stays within <paramref name="budgetFlops"/>: the final phase is paid for first, the
    /// rest of the budget buys main-phase steps. When the budget does not cover the final phase, every step is in it.
    /// </summary>
    public long StepsWithinBudget(double budgetFlops, int batchSize)
    {
        long finalSteps = FinalPhaseSteps(batchSize);
        double finalCost = (double)finalSteps * batchSize * FinalPhaseFlopsPerSample;
        if (budgetFlops < finalCost) return (long)Math.Floor(budgetFlops / (batchSize * FinalPhaseFlopsPerSample));
        return finalSteps + (long)Math.Floor((budgetFlops - finalCost) / (batchSize * FlopsPerSample));
    }
}
