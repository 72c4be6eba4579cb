namespace ClipLab.Training;

/// <summary>
/// Where a trainer's batches come from. Each implementation keeps its own notion of the data position and
/// writes it into the checkpointed <see cref="TrainingState"/>, so a resumed run continues with exactly the
/// batches the interrupted run would have seen.
/// </summary>
public abstract class TrainingBatches : IDisposable
{
    /// <summary>Unique training samples, when known (epochs are measured against it).</summary>
    public abstract int? UniqueSamples { get; }

    /// <summary>Moves to the data position recorded in <paramref name="state"/> (called once, when resuming).</summary>
    public abstract void Restore(TrainingState state);

    /// <summary>The next full batch (images in [-1, 1], tokens, any extra views), created in the caller's dispose scope.</summary>
    public abstract TrainingBatch Next();

    /// <summary>Returns <paramref name="state"/> with this source's data position.</summary>
    public abstract TrainingState Record(TrainingState state);

    /// <summary>Skipped-sample counts for logs and summaries ("none" when nothing was skipped).</summary>
    public virtual string BadSampleSummary => "none";

    /// <summary>Skipped samples so far.</summary>
    public virtual long BadSamples => 0;

    /// <summary>
    /// The fraction of <see cref="UniqueSamples"/> an epoch really yields once bad and lost samples are taken out
    /// (measured on the samples read so far; 1 when nothing was skipped).
    /// </summary>
    public virtual double UsableFraction => 1.0;

    /// <inheritdoc />
    public virtual void Dispose() => GC.SuppressFinalize(this);
}
