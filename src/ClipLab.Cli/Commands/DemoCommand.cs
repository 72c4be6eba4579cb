using System.CommandLine;
using ClipLab.Configuration;
using ClipLab.Runtime;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab demo</c>: trains the built-in CLIP model on Fashion-MNIST pairs and evaluates it.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A 2-minute version (fewer samples seen)." };
        var output = new Option<string?>("--out") { Description = "Run folder (default: runs/demo or runs/demo-quick). An unfinished run there is resumed." };
        var command = new Command("demo", "Train a small CLIP model from scratch on Fashion-MNIST image–caption pairs, then evaluate zero-shot classification and retrieval.")
        {
            quick, output,
        };
        var runtime = new RuntimeOptions();
        runtime.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(quick), parse.GetValue(output), c => runtime.ApplyTo(c, parse), cancellation)));
        return command;
    }

    private static int Run(bool quick, string? output, Func<RunConfig, RunConfig> applyRuntime, CancellationToken cancellation)
    {
        var config = applyRuntime(quick ? DemoPresets.Quick : DemoPresets.Full);
        config.Validate();
        // Before a finished demo folder is replaced: an unusable device must leave everything as it was.
        ComputeDevice.Open(config.Runtime.Device);
        bool defaultFolder = output is null;
        string runDirectory = Path.GetFullPath(output ?? Path.Combine("runs", quick ? "demo-quick" : "demo"));
        bool resume = false;
        if (Checkpoint.FindLatest(runDirectory) is not null)
        {
            bool finished = File.Exists(Path.Combine(runDirectory, TrainingRun.ResultsFile));
            if (finished && defaultFolder)
            {
                AnsiConsole.MarkupLine($"Replacing the previous demo run in [blue]{Markup.Escape(runDirectory)}[/].");
                Directory.Delete(runDirectory, recursive: true);
            }
            else if (finished)
            {
                throw new InvalidOperationException($"{runDirectory} holds a finished run; choose another --out folder.");
            }
            else
            {
                AnsiConsole.MarkupLine($"Resuming the unfinished demo run in [blue]{Markup.Escape(runDirectory)}[/].");
                resume = true;
            }
        }
        AnsiConsole.MarkupLine($"[bold]ClipLab demo[/]{(quick ? " (quick)" : "")}: CLIP [green]{config.Model}[/] trained from scratch on " +
                               $"Fashion-MNIST image–caption pairs, {config.Training.SamplesSeen:N0} samples seen, batch {config.Training.BatchSize}.");
        return RunExecution.Execute(config, runDirectory, resume, "Training", cancellation);
    }
}
