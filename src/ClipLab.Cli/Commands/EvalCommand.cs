using System.CommandLine;
using System.Text.Json;
using ClipLab.Cli.Rendering;
using ClipLab.Evaluation;
using ClipLab.IO;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab eval</c>: evaluates a checkpoint.</summary>
internal static class EvalCommand
{
    private static readonly Dictionary<string, EvaluationTask> Tasks = new()
    {
        ["zeroshot"] = EvaluationTask.ZeroShot,
        ["retrieval"] = EvaluationTask.Retrieval,
    };

    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run folder (its latest checkpoint is used) or a checkpoint folder.", Required = true };
        var task = new Option<string[]>("--task") { Description = $"Tasks to run: {string.Join(", ", Tasks.Keys)} (default: all).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON to this file." };
        var command = new Command("eval", "Evaluate a trained checkpoint: zero-shot classification and image↔text retrieval.") { checkpoint, task, json };
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(task) ?? Array.Empty<string>(), parse.GetValue(json)));
        return command;
    }

    private static int Run(string checkpoint, string[] taskNames, string? jsonPath)
    {
        var tasks = new List<EvaluationTask>();
        foreach (var name in taskNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!Tasks.TryGetValue(name.Trim().ToLowerInvariant(), out var t))
                throw new ArgumentException($"unknown --task '{name}'. Valid tasks: {string.Join(", ", Tasks.Keys)}");
            tasks.Add(t);
        }
        if (tasks.Count == 0) tasks.AddRange(Tasks.Values);
        var (config, tokenizer, model, folder) = Checkpoint.LoadTrained(checkpoint);
        using (model)
        {
            AnsiConsole.MarkupLine($"Evaluating [blue]{Markup.Escape(folder)}[/]");
            var report = CheckpointEvaluator.Evaluate(model, tokenizer, config, tasks, Console.Out);
            ResultsTable.Show(report.ZeroShot, report.Retrieval);
            if (jsonPath is not null)
            {
                AtomicFile.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
                AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(jsonPath)}[/]");
            }
        }
        return 0;
    }
}
