using ClipLab.Cli.Rendering;
using ClipLab.Configuration;
using ClipLab.Runtime.Distributed;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary>What <c>demo</c> and <c>train</c> share: train with a progress display, evaluate, show and save results.</summary>
internal static class RunExecution
{
    public static int Execute(RunConfig config, string runDirectory, bool resume, string title, CancellationToken cancellation,
        IReadOnlyList<string>? settings = null)
    {
        // Under mpirun (or srun) this process is one rank of the run; alone, the only one, and MPI is never loaded.
        var communicator = DistributedLaunch.Open();
        int code = communicator.Rank == 0
            ? Lead(config, runDirectory, resume, title, communicator, cancellation, settings)
            : Follow(config, runDirectory, resume, communicator, cancellation, settings);
        // A stopped run: rank 0 writes its checkpoint and says how to resume before any rank exits with the signal's code,
        // which makes the launcher end the job.
        if (code != 0 && communicator.Size > 1) communicator.Barrier();
        // Finalised only when the run ended normally: a rank that fails exits with MPI still open, so that the launcher ends
        // the whole job at once instead of this rank waiting in MPI_Finalize for ranks that wait on it in a collective.
        communicator.Dispose();
        return code;
    }

    private static int Lead(RunConfig config, string runDirectory, bool resume, string title, ICommunicator communicator,
        CancellationToken cancellation, IReadOnlyList<string>? settings)
    {
        var log = Console.Out;
        Trainer? trainer = null;
        var results = new TrainingProgressView().Run(title, (onStart, onProgress) =>
            TrainingRun.Execute(config, runDirectory, resume, t => { trainer = t; onStart(t); }, onProgress, log, cancellation, settings,
                communicator.Size > 1 ? communicator : null));
        if (results is null)
        {
            // Plain stderr, one line: scripts and schedulers' logs read it.
            Console.Error.WriteLine($"Interrupted at step {trainer!.Step:N0} of {trainer.TotalSteps:N0}: checkpoint written to {trainer.LastCheckpoint}. " +
                                    $"Resume with: ./cliplab train --resume {runDirectory}");
            return 130; // the caller reports the signal's own exit code
        }
        ResultsTable.Show(results);
        AnsiConsole.MarkupLine($"Results: [blue]{Markup.Escape(Path.Combine(runDirectory, TrainingRun.ResultsFile))}[/]  " +
                               $"Metrics: [blue]{Markup.Escape(Path.Combine(runDirectory, "metrics.jsonl"))}[/]  " +
                               $"TensorBoard: [blue]{Markup.Escape(Path.Combine(runDirectory, "tensorboard"))}[/]");
        return 0;
    }

    // Ranks other than 0 train silently: rank 0 shows progress, writes the run folder and evaluates the final model.
    private static int Follow(RunConfig config, string runDirectory, bool resume, ICommunicator communicator, CancellationToken cancellation,
        IReadOnlyList<string>? settings)
    {
        Trainer? trainer = null;
        TrainingRun.Execute(config, runDirectory, resume, t => trainer = t, null, TextWriter.Null, cancellation, settings, communicator);
        return trainer!.Step == trainer.TotalSteps ? 0 : 130;
    }
}
