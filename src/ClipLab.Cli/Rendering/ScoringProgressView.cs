using System.Diagnostics;
using ClipLab.Data.Quality;
using Spectre.Console;

namespace ClipLab.Cli.Rendering;

/// <summary>
/// Shows the progress of <c>cliplab data score</c>: a live bar over the samples (or over the parts when the shards
/// have no manifest) with the part being scored, pairs/s and time left on an interactive terminal; nothing when
/// output is redirected, so logs hold only the final summary.
/// </summary>
internal static class ScoringProgressView
{
    /// <summary>Runs <paramref name="work"/>, giving it the callback that updates the display.</summary>
    public static T Run<T>(string title, Func<Action<ScoringProgress>, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected) return work(_ => { });
        T result = default!;
        var watch = Stopwatch.StartNew();
        AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                ProgressTask? task = null;
                result = work(p =>
                {
                    double max = p.Expected ?? p.PartsTotal;
                    task ??= ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(1, max));
                    task.Value = Math.Min(task.MaxValue, p.Expected is null ? p.PartsDone : p.Processed);
                    double rate = p.ScoredThisRun / Math.Max(1e-3, watch.Elapsed.TotalSeconds);
                    task.Description = Markup.Escape(
                        $"{title}: part {Math.Min(p.PartsDone + 1, p.PartsTotal)}/{p.PartsTotal} · {p.ScoredThisRun:N0} scored · {rate:F0} pairs/s");
                });
                if (task is not null) task.Value = task.MaxValue;
            });
        return result;
    }
}
