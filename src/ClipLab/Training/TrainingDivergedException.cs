namespace ClipLab.Training;

/// <summary>The loss became NaN or infinite; the message says at which step and what to change.</summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrainingDivergedException(string message) : base(message) { }
}
