using ClipLab.Cli.Rendering;
using ClipLab.Configuration;
using ClipLab.Reports;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary>What <c>demo</c> and <c>train</c> share: train with a progress display, evaluate, show and save results.</summary>
internal static class RunExecution
{
    public static int Execute(RunConfig config, string runDirectory, bool resume, string title, CancellationToken cancellation,
        IReadOnlyList<string>? settings = null)
    {
        var log = Console.Out;
        Trainer? trainer = null;
        var results = new TrainingProgressView().Run(title, (onStart, onProgress) =>
            TrainingRun.Execute(config, runDirectory, resume, t => { trainer = t; onStart(t); }, onProgress, log, cancellation, settings));
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
}
