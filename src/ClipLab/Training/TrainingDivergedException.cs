namespace ClipLab.Training;

/// <summary>
/// The run diverged (a NaN or infinite loss, gradient or weight) or collapsed (see <see cref="TrainingHealth"/>); the message
/// says at which step, which checkpoint is still good and what to change.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message) : base(message) { }
}
