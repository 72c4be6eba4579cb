using System.Diagnostics;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Rendering;

/// <summary>
/// Shows training progress: a live bar (step, samples/s, loss, learning rate, ETA) on an interactive
/// terminal, or a plain line every few seconds when output is redirected (CI logs stay readable).
/// </summary>
public sealed class TrainingProgressView
{
    private readonly bool _interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private readonly Stopwatch _sinceLastLine = Stopwatch.StartNew();

    /// <summary>Runs <paramref name="work"/>, giving it the callback that updates the display.</summary>
    public T Run<T>(string title, Func<Action<Trainer>, Action<TrainingProgress>, T> work)
    {
        if (!_interactive)
        {
            Action<TrainingProgress> print = p =>
            {
                if (p.Step != p.TotalSteps && p.Step != 1 && _sinceLastLine.Elapsed < TimeSpan.FromSeconds(10)) return;
                _sinceLastLine.Restart();
                Console.WriteLine($"  {Describe(p)}  {100.0 * p.Step / p.TotalSteps,5:F1}%  ETA {FormatEta(p.Eta)}");
            };
            return work(trainer => Console.WriteLine($"{title}: {trainer.TotalSteps:N0} steps"), print);
        }
        T result = default!;
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                result = work(
                    trainer =>
                    {
                        task = ctx.AddTask(Markup.Escape(title), maxValue: trainer.TotalSteps);
                        task.Value = trainer.Step;
                    },
                    p =>
                    {
                        if (task is null) return;
                        task.Value = p.Step;
                        task.Description = Markup.Escape(Describe(p));
                    });
            });
        return result;
    }

    private static string Describe(TrainingProgress p) =>
        $"step {p.Step}/{p.TotalSteps} · {p.SamplesPerSecond:F0} samples/s · loss {p.Loss:F4} · lr {p.LearningRate:E2}";

    private static string FormatEta(TimeSpan eta) => eta.TotalHours >= 1 ? eta.ToString(@"h\:mm\:ss") : eta.ToString(@"m\:ss");
}
