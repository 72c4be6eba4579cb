namespace ClipLab.Training;

/// <summary>
/// The scalar part of a checkpoint: where the run stands. Together with the model and optimizer tensors it
/// is everything needed to continue the very same run.
/// </summary>
public sealed record TrainingState
{
    /// <summary>Optimizer steps completed.</summary>
    public long Step { get; init; }

    /// <summary>Training samples consumed; it also fixes the data position (the order is a function of it).</summary>
    public long SamplesSeen { get; init; }

    /// <summary>Total steps the run is planned for.</summary>
    public long TotalSteps { get; init; }

    /// <summary>Loss of the last step before the checkpoint.</summary>
    public double LastLoss { get; init; }

    /// <summary>Training wall-clock seconds accumulated before this checkpoint (excludes pauses between resumes).</summary>
    public double WallSeconds { get; init; }

    /// <summary>libtorch's CPU generator state, base64.</summary>
    public string TorchRngState { get; init; } = "";

    /// <summary>Streaming data: the epoch being read.</summary>
    public int DataEpoch { get; init; }

    /// <summary>Streaming data: full batches already taken from <see cref="DataEpoch"/>.</summary>
    public long DataBatchInEpoch { get; init; }

    /// <summary>Dataset size the data position refers to (checked on resume).</summary>
    public int DatasetSize { get; init; }
}
