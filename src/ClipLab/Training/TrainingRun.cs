using ClipLab.Configuration;
using ClipLab.Evaluation;
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

    /// <summary>Trains, evaluates and writes results; returns them, or null when training was cancelled (a checkpoint was kept).</summary>
    public static RunResults? Execute(RunConfig config, string runDirectory, bool resume,
        Action<Trainer>? onStart = null, Action<TrainingProgress>? onProgress = null, TextWriter? log = null,
        CancellationToken cancellation = default)
    {
        log ??= TextWriter.Null;
        using var trainer = new Trainer(config, runDirectory, resume, log);
        onStart?.Invoke(trainer);
        var summary = trainer.Run(onProgress, cancellation);
        if (!summary.Completed)
        {
            log.WriteLine($"Stopped at step {summary.Steps}; checkpoint {summary.Checkpoint}. Continue with --resume {runDirectory}.");
            return null;
        }
        var evaluation = CheckpointEvaluator.Evaluate(trainer.ComputeModel, trainer.Tokenizer, trainer.Config, log: log);
        var results = new RunResults(evaluation.ZeroShot, evaluation.Retrieval,
            TrainReport.From(trainer.Config.Model, trainer.Config.Training.BatchSize, trainer.Config.Training.BudgetGflops, summary), summary.Checkpoint, evaluation.Seconds);
        results.Save(Path.Combine(runDirectory, ResultsFile));
        return results;
    }
}
