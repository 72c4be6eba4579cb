using System.Diagnostics;

namespace ClipLab.Training;

/// <summary>
/// A training session's clocks: the run's wall-clock seconds (earlier sessions' plus this one's, less the time spent in
/// periodic evaluations) and the throughput, as a recent average over steps and over the whole session.
/// </summary>
internal sealed class TrainingClock
{
    private readonly Stopwatch _session = Stopwatch.StartNew();
    private readonly Stopwatch _evaluating = new();
    private readonly double _priorWallSeconds;
    private long _stepStart;
    private long _sessionSamples;

    /// <summary>Starts the session of a run that had trained <paramref name="priorWallSeconds"/> before it.</summary>
    public TrainingClock(double priorWallSeconds) => _priorWallSeconds = priorWallSeconds;

    /// <summary>Samples per second, an exponential average over the recent steps.</summary>
    public double RecentRate { get; private set; }

    /// <summary>The run's training seconds so far: earlier sessions' and this one's, evaluations excluded.</summary>
    public double WallSeconds => _priorWallSeconds + TrainingSeconds;

    /// <summary>This session's samples per second.</summary>
    public double SessionRate => _sessionSamples / Math.Max(TrainingSeconds, 1e-9);

    private double TrainingSeconds => (_session.Elapsed - _evaluating.Elapsed).TotalSeconds;

    /// <summary>The share of this session's training time that <paramref name="seconds"/> (e.g. spent communicating) make up.</summary>
    public double ShareOfTraining(double seconds) => seconds / Math.Max(TrainingSeconds, 1e-9);

    /// <summary>Marks the start of a step.</summary>
    public void StartStep() => _stepStart = _session.ElapsedTicks;

    /// <summary>Marks the end of a step of <paramref name="samples"/> samples and updates the rates.</summary>
    public void EndStep(int samples)
    {
        _sessionSamples += samples;
        double stepSeconds = (double)(_session.ElapsedTicks - _stepStart) / Stopwatch.Frequency;
        double rate = samples / Math.Max(stepSeconds, 1e-9);
        RecentRate = RecentRate == 0 ? rate : 0.9 * RecentRate + 0.1 * rate;
    }

    /// <summary>Runs <paramref name="evaluation"/> off the training clock.</summary>
    public void Evaluating(Action evaluation)
    {
        _evaluating.Start();
        try { evaluation(); }
        finally { _evaluating.Stop(); }
    }
}
