using ClipLab.Configuration;
using ClipLab.Training.Strategies;

namespace ClipLab.Training;

/// <summary>
/// A run's budget as steps of one (global) batch: from <c>training.samplesSeen</c>, <c>training.epochs</c> or
/// <c>training.budgetGflops</c>, with the arithmetic every step needs (compute spent, epochs, the learning-rate schedule).
/// </summary>
/// <param name="TotalSteps">Optimizer steps planned.</param>
/// <param name="BatchSize">Samples per step over all ranks (<c>training.batchSize</c>).</param>
/// <param name="DatasetSize">Unique training samples that epochs are counted against (0 when unknown).</param>
/// <param name="Cost">The strategy's training compute per sample.</param>
public sealed record TrainingBudget(long TotalSteps, int BatchSize, int DatasetSize, StrategyCost Cost)
{
    /// <summary>Plans the steps of a run of <paramref name="training"/> over <paramref name="datasetSize"/> unique samples.</summary>
    /// <param name="training">The run's training config.</param>
    /// <param name="cost">The strategy's cost per sample.</param>
    /// <param name="datasetSize">Unique samples (an open-ended stream: its epoch length, or 0).</param>
    /// <param name="model">The model's name, for messages.</param>
    /// <param name="strategy">The strategy's name, for messages.</param>
    /// <exception cref="ConfigException">The budget cannot be planned: epochs of an unknown size, a compute budget below one
    /// batch, or FLIP's unmasked tuning covering the whole run.</exception>
    public static TrainingBudget Plan(TrainingConfig training, StrategyCost cost, int datasetSize, string model, string strategy)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(cost);
        if (training.Epochs is not null && datasetSize == 0)
            throw new ConfigException("training.epochs needs a known dataset size: this stream has no manifest and no data.samplesPerEpoch. Use training.samplesSeen instead, or set data.samplesPerEpoch.");
        int batchSize = training.BatchSize;
        long totalSteps;
        if (training.BudgetGflops is double budgetGflops)
        {
            totalSteps = cost.StepsWithinBudget(budgetGflops * 1e9, batchSize);
            // A compute budget is a ceiling, so unlike a samples budget it is never rounded up to one batch.
            if (totalSteps < 1)
                throw new ConfigException($"training.budgetGflops {budgetGflops:G4} covers less than one batch of {batchSize}: model " +
                    $"{model} with strategy {strategy} costs {cost.FlopsPerSample / 1e9:G4} training GFLOPs per sample. " +
                    "Raise training.budgetGflops or lower training.batchSize.");
        }
        else
        {
            long budget = training.Epochs is double epochs ? (long)Math.Round(epochs * datasetSize) : training.SamplesSeen;
            totalSteps = Math.Max(1, budget / batchSize);
        }
        if (cost.FinalPhaseSamples > 0 && cost.FinalPhaseSteps(batchSize) >= totalSteps)
            throw new ConfigException("training.strategy.unmaskedTuningSamples", cost.FinalPhaseSamples,
                $"fewer samples than the run's {totalSteps * batchSize:N0}, so that some steps train masked");
        return new TrainingBudget(totalSteps, batchSize, datasetSize, cost);
    }

    /// <summary>
    /// The batch each of <paramref name="ranks"/> data-parallel ranks computes: <c>training.batchSize</c> is the global
    /// batch, split evenly, and each rank's share must split into <c>training.accumulationSteps</c> equal micro-batches.
    /// </summary>
    /// <exception cref="ConfigException">The batch does not split over the ranks, or a rank's share not into micro-batches.</exception>
    public static int PerRankBatch(TrainingConfig training, int ranks)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        int batch = training.BatchSize;
        if (batch % ranks != 0)
        {
            int below = batch / ranks * ranks, above = below + ranks;
            throw new ConfigException($"training.batchSize {batch} does not split over {ranks} ranks: the global batch must be a multiple of the number of ranks " +
                $"(e.g. {(below > 0 ? $"{below} or " : "")}{above}), or launch a number of ranks that divides {batch}.");
        }
        int perRank = batch / ranks;
        if (perRank % training.AccumulationSteps != 0)
            throw new ConfigException($"training.accumulationSteps {training.AccumulationSteps} does not split a rank's batch of {perRank} " +
                $"({batch} over {ranks} ranks) into equal micro-batches; choose a divisor of {perRank}.");
        return perRank;
    }

    /// <summary>The learning rate of every step: linear warm-up, then cosine decay to the end of the budget.</summary>
    public CosineSchedule Schedule(TrainingConfig training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return new CosineSchedule(training.LearningRate, training.WarmupSteps, TotalSteps, training.MinLearningRateRatio);
    }

    /// <summary>Whether step <paramref name="step"/> (0-based) trains in the strategy's final phase (FLIP's unmasked tuning).</summary>
    public bool IsFinalPhase(long step) => Cost.IsFinalPhase(step, TotalSteps, BatchSize);

    /// <summary>Training GFLOPs spent by the first <paramref name="steps"/> steps.</summary>
    public double GflopsSpent(long steps) => Cost.FlopsSpent(steps, TotalSteps, BatchSize) / 1e9;

    /// <summary>Training GFLOPs per sample averaged over the first <paramref name="steps"/> steps, which saw
    /// <paramref name="samplesSeen"/> samples (FLIP's final phase costs more per sample).</summary>
    public double GflopsPerSample(long steps, long samplesSeen) => samplesSeen > 0 ? GflopsSpent(steps) / samplesSeen : Cost.FlopsPerSample / 1e9;

    /// <summary>Samples an epoch really yields: the dataset size less the share found bad or lost (<paramref name="usableFraction"/>).</summary>
    public double UsableSamples(double usableFraction) => DatasetSize * usableFraction;

    /// <summary>Passes over the usable samples after <paramref name="samplesSeen"/>; NaN when the size is unknown.</summary>
    public double Epochs(long samplesSeen, double usableFraction)
    {
        double usable = UsableSamples(usableFraction);
        return usable > 0 ? samplesSeen / usable : double.NaN;
    }
}
