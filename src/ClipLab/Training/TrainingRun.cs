using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Evaluation.Suites;
using ClipLab.Runtime;
using ClipLab.Runtime.Distributed;

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
    /// With a <paramref name="communicator"/> of several ranks this process is one rank of a data-parallel run: rank 0
    /// evaluates and writes the results; the other ranks only train and return null (see <see cref="Trainer.WritesRunFolder"/>).
    /// </summary>
    /// <exception cref="BadDataException">Too much of the data is bad; the message names the worst shards and the checkpoint to resume from.</exception>
    public static RunResults? Execute(RunConfig config, string runDirectory, bool resume,
        Action<Trainer>? onStart = null, Action<TrainingProgress>? onProgress = null, TextWriter? log = null,
        CancellationToken cancellation = default, IReadOnlyList<string>? settings = null, ICommunicator? communicator = null)
    {
        log ??= TextWriter.Null;
        var folder = RunFolder.Open(config, runDirectory, resume, settings);
        // This is the run's entry point in the process: it makes libtorch's process-wide settings.
        int ranks = communicator?.Size ?? 1;
        TorchProcessSettings.For(folder.Config.Training.Threads, folder.Config.Training.Seed, ranks).Apply();
        using var trainer = new Trainer(folder, log, communicator);
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
        if (!trainer.WritesRunFolder) return null;
        var evaluation = EndOfTrainingEvaluation.Run(trainer.ComputeModel, trainer.Tokenizer, trainer.Config, log);
        var results = RunResults.From(evaluation,
            TrainReport.From(trainer.Config.Model, trainer.Config.Training.BatchSize, trainer.Config.Training.BudgetGflops, summary), summary.Checkpoint);
        results.Save(Path.Combine(runDirectory, ResultsFile));
        return results;
    }
}
