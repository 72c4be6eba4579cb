using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Evaluation.Suites;
using ClipLab.Reports;

namespace ClipLab.Training;

/// <summary>
/// A whole run as the CLI performs it: train (or resume) in a folder, evaluate the final model with the
/// config's tasks, and write <c>results.json</c> beside the checkpoints.
/// </summary>
public static class TrainingRun
{
    /// <summary>File name of a run's results.</summary>
    public const string ResultsFile = "results.json";

    /// <summary>
    /// Trains, evaluates and writes results; returns them, or null when training was cancelled (a checkpoint was kept).
    /// <paramref name="settings"/> (<c>key=value</c>) change a resumed run's config (see <see cref="ResumeOverrides"/>).
    /// </summary>
    /// <exception cref="BadDataException">Too much of the data is bad; the message names the worst shards and the checkpoint to resume from.</exception>
    public static RunResults? Execute(RunConfig config, string runDirectory, bool resume,
        Action<Trainer>? onStart = null, Action<TrainingProgress>? onProgress = null, TextWriter? log = null,
        CancellationToken cancellation = default, IReadOnlyList<string>? settings = null)
    {
        log ??= TextWriter.Null;
        using var trainer = new Trainer(config, runDirectory, resume, log, settings);
        onStart?.Invoke(trainer);
        TrainingSummary summary;
        try
        {
            summary = trainer.Run(onProgress, cancellation);
        }
        catch (BadDataException ex)
        {
            // The run stops without writing a checkpoint; say which one is left and how to continue from it.
            throw ex.WithNote(trainer.LastCheckpoint is { } last
                ? $"The last checkpoint, {last}, is intact: continue with --resume {runDirectory} once the data is fixed."
                : "No checkpoint was written yet: start the run again once the data is fixed.");
        }
        if (!summary.Completed) return null; // the caller says where the checkpoint is and how to resume
        var evaluation = EndOfTrainingEvaluation.Run(trainer.ComputeModel, trainer.Tokenizer, trainer.Config, log);
        var results = RunResults.From(evaluation,
            TrainReport.From(trainer.Config.Model, trainer.Config.Training.BatchSize, trainer.Config.Training.BudgetGflops, summary), summary.Checkpoint);
        results.Save(Path.Combine(runDirectory, ResultsFile));
        return results;
    }
}
