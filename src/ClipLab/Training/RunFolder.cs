using ClipLab.Configuration;
using ClipLab.Models;

namespace ClipLab.Training;

/// <summary>
/// A run's folder and where training starts in it: a new run's config, or (resuming) the latest checkpoint's config
/// changed only where <see cref="ResumeOverrides"/> allows, and the checkpoint's weights, optimizer, data position and
/// random state.
/// </summary>
public sealed class RunFolder
{
    private RunFolder(string directory, RunConfig config, string? checkpoint, TrainingConfig? savedTraining, IReadOnlyList<ConfigChange> changes)
    {
        Directory = directory;
        Config = config;
        Checkpoint = checkpoint;
        SavedTraining = savedTraining;
        Changes = changes;
    }

    /// <summary>The run folder's full path.</summary>
    public string Directory { get; }

    /// <summary>The validated config the run trains with (its model not yet resolved).</summary>
    public RunConfig Config { get; }

    /// <summary>The checkpoint the run continues from; null for a new run.</summary>
    public string? Checkpoint { get; }

    /// <summary>The training config the checkpoint was written with (null for a new run).</summary>
    public TrainingConfig? SavedTraining { get; }

    /// <summary>Changes made on resume, logged to <c>metrics.jsonl</c> when the run starts.</summary>
    public IReadOnlyList<ConfigChange> Changes { get; }

    /// <summary>
    /// Opens <paramref name="runDirectory"/> for a new run of <paramref name="config"/>, or with <paramref name="resume"/> for
    /// the continuation of the run it holds: then the checkpoint's config is kept but for the device (which belongs to the
    /// machine) and for <paramref name="settings"/> (<c>key=value</c>) and edits of the folder's config.json that
    /// <see cref="ResumeOverrides"/> allows.
    /// </summary>
    /// <exception cref="ConfigException">The config is invalid, or a change on resume is not allowed.</exception>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="resume"/> is false, or holds none and it is true.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume is incomplete or damaged.</exception>
    public static RunFolder Open(RunConfig config, string runDirectory, bool resume, IReadOnlyList<string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        string directory = Path.GetFullPath(runDirectory);
        string? latest = System.IO.Directory.Exists(directory) ? Training.Checkpoint.FindLatest(directory) : null;
        RunFolder folder;
        if (resume)
        {
            if (latest is null)
                throw new InvalidOperationException($"nothing to resume: {directory} holds no checkpoint. Start a new run with --out {directory}.");
            Training.Checkpoint.Verify(latest, forTraining: true);
            var resumed = ResumeOverrides.Apply(latest, directory, settings ?? []);
            folder = new RunFolder(directory, resumed.Config with { Runtime = config.Runtime }, latest, resumed.Saved.Training, resumed.Changes);
        }
        else if (settings is { Count: > 0 })
        {
            throw new ArgumentException("settings change a resumed run; a new run takes its whole config", nameof(settings));
        }
        else if (latest is not null)
        {
            throw new InvalidOperationException($"{directory} already holds a run (checkpoint {Path.GetFileName(latest)}). " +
                $"Continue it with --resume {directory}, or choose another --out folder.");
        }
        else
        {
            folder = new RunFolder(directory, config with
            {
                Data = config.Data.WithAbsolutePaths(Environment.CurrentDirectory),
                // The resolved config always spells the model out; keep whether it came from the registry.
                Model = config.ModelConfig is null ? config.Model : Trainer.CustomModelName,
            }, null, null, []);
        }
        // The values, then the files and the evaluation names: all before anything is written.
        RunConfigValidation.Validate(folder.Config);
        return folder;
    }

    /// <summary>
    /// Puts the checkpoint's weights, optimizer state, data position and random state in place and returns the run's
    /// state, its budget now <paramref name="budget"/>'s; logs the changes made on resume.
    /// </summary>
    /// <exception cref="InvalidOperationException">This is a new run.</exception>
    /// <exception cref="InvalidDataException">The data's size changed since the run started.</exception>
    /// <exception cref="ConfigException">A changed budget ends before the checkpoint's step.</exception>
    public TrainingState Restore(ClipModel model, IOptimizer optimizer, TrainingBatches data, TrainingBudget budget, TrainingConfig training, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(log);
        string latest = Checkpoint ?? throw new InvalidOperationException("a new run has no checkpoint to restore");
        var saved = Training.Checkpoint.LoadState(latest);
        if (saved.DatasetSize != budget.DatasetSize)
            throw new InvalidDataException($"checkpoint {latest} was trained on {saved.DatasetSize} samples but the data now has {budget.DatasetSize}; the data changed since the run started.");
        Training.Checkpoint.LoadInto(latest, model, optimizer);
        if (saved.Step >= budget.TotalSteps && Changes.Any(c => ResumeOverrides.BudgetKeys.Contains(c.Key)))
            throw new ConfigException($"the changed budget ends the run at step {budget.TotalSteps:N0}, but checkpoint {latest} is at step {saved.Step:N0}; " +
                $"give a budget beyond {saved.SamplesSeen:N0} samples.");
        foreach (var change in Changes) log.WriteLine($"Changed on resume: {change}");
        var old = SavedTraining!;
        double before = new CosineSchedule(old.LearningRate, old.WarmupSteps, saved.TotalSteps, old.MinLearningRateRatio).At(saved.Step);
        double after = budget.Schedule(training).At(saved.Step);
        if (before != after) log.WriteLine($"Learning rate at step {saved.Step:N0}: {before:G4} -> {after:G4}.");
        data.Restore(saved);
        Training.Checkpoint.RestoreRngState(saved.TorchRngState);
        log.WriteLine($"Resuming {Directory} from step {saved.Step} of {budget.TotalSteps} ({saved.SamplesSeen:N0} samples seen).");
        return saved with { TotalSteps = budget.TotalSteps };
    }
}
