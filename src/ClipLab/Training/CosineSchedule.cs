namespace ClipLab.Training;

/// <summary>Linear warm-up from 0 to the peak learning rate, then cosine decay to <c>peak × minRatio</c>.</summary>
/// <param name="PeakLearningRate">Learning rate at the end of warm-up.</param>
/// <param name="WarmupSteps">Steps of linear warm-up.</param>
/// <param name="TotalSteps">Steps of the whole run.</param>
/// <param name="MinRatio">Final learning rate as a fraction of the peak.</param>
public sealed record CosineSchedule(double PeakLearningRate, int WarmupSteps, long TotalSteps, double MinRatio = 0)
{
    /// <summary>The learning rate for the 0-based <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return PeakLearningRate * (step + 1) / WarmupSteps;
        long decaySteps = Math.Max(1, TotalSteps - WarmupSteps);
        double progress = Math.Clamp((double)(step - WarmupSteps) / decaySteps, 0, 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLearningRate * (MinRatio + (1 - MinRatio) * cosine);
    }
}
