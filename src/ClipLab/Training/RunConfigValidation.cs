using ClipLab.Configuration;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Training;

/// <summary>
/// Everything checked about a run config before a run starts: its values (<see cref="RunConfig.Validate"/>), that the
/// data files it names exist (<see cref="TrainingSources.CheckFiles"/>), and that its periodic evaluation names a known
/// suite and tasks (<see cref="PeriodicSuite.Validate"/>). The trainer runs it once, before it writes anything.
/// </summary>
public static class RunConfigValidation
{
    /// <summary>Checks <paramref name="config"/>; the first problem is reported with its key and the valid choices.</summary>
    /// <exception cref="ConfigException">A value is invalid, or a file it names is missing.</exception>
    public static void Validate(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        // After the values: a file's existence only matters once the rest is valid.
        TrainingSources.CheckFiles(config.Data);
        PeriodicSuite.Validate(config.Evaluation);
    }
}
