using System.CommandLine;
using ClipLab.Cli.Rendering;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Suites;
using ClipLab.Runtime;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab eval</c>: evaluates a checkpoint with an evaluation suite.</summary>
internal static class EvalCommand
{
    private static string ValidTasks => EvaluationTaskNames.ValidNames;

    public static Command Create()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run folder (its latest checkpoint is used) or a checkpoint folder.", Required = true };
        var suite = new Option<string>("--suite")
        {
            Description = "quick: Fashion-MNIST, probes on 10,000 training images. paper: + 7 shifted variants and their average, emoji, probes on all 60,000.",
            DefaultValueFactory = _ => "quick",
        };
        var task = new Option<string[]>("--task") { Description = $"Run only these tasks: {ValidTasks} (default: all).", AllowMultipleArgumentsPerToken = true };
        var benchmark = new Option<string[]>("--benchmark") { Description = "A JSON benchmark description (labeled image folder or CSV, templates, retrieval pairs); repeatable. See docs/evaluation.md.", AllowMultipleArgumentsPerToken = true };
        var emoji = new Option<string?>("--emoji") { Description = $"Folder of the emoji shards (default {EmojiBenchmark.DefaultFolder}; build with `{EmojiBenchmark.BuildCommand}`)." };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON (schema in docs/evaluation.md) to this file." };
        var threads = new Option<int?>("--threads") { Description = "Intra-op threads for libtorch (default: the run config's training.threads; 0 = one per core)." };
        var noCache = new Option<bool>("--no-cache") { Description = $"Do not read or write cached features ({FeatureCache.FolderName}/ in the checkpoint folder)." };
        var command = new Command("eval", "Evaluate a checkpoint: zero-shot (with distribution shifts), linear probe, few-shot and retrieval.")
        {
            checkpoint, suite, task, benchmark, emoji, json, noCache, threads,
        };
        var runtime = new RuntimeOptions();
        runtime.AddTo(command);
        command.SetAction(parse => Run(parse.GetValue(checkpoint)!, parse.GetValue(suite)!, parse.GetValue(task) ?? [], parse.GetValue(benchmark) ?? [],
            parse.GetValue(emoji), parse.GetValue(json), parse.GetValue(noCache), parse.GetValue(threads),
            runtime.DeviceOr(parse, ComputeDevice.Cpu), runtime.PrecisionOr(parse, Precision.Fp32)));
        return command;
    }

    private static int Run(string checkpoint, string suiteName, string[] taskNames, string[] benchmarkFiles, string? emojiFolder, string? jsonPath, bool noCache, int? threadCount,
        string deviceSpec, string precision)
    {
        var device = ComputeDevice.Open(deviceSpec);
        var suite = EvaluationSuite.Get(suiteName.Trim().ToLowerInvariant());
        var tasks = new HashSet<EvaluationTask>();
        foreach (var name in taskNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!EvaluationTaskNames.TryParse(name, out var parsed)) throw new ArgumentException($"unknown --task '{name}'. Valid tasks: {ValidTasks}");
            tasks.Add(parsed);
        }
        if (tasks.Count == 0) tasks.UnionWith(SuiteOptions.AllTasks);
        if (threadCount is < 0) throw new ArgumentException($"--threads must be 0 (one per core) or positive, got {threadCount}");
        foreach (var file in benchmarkFiles)
            if (!File.Exists(file)) throw new FileNotFoundException($"benchmark file not found: {file}", file);

        var (config, tokenizer, model, folder) = Checkpoint.LoadTrained(checkpoint);
        using (model)
        {
            // Checkpoints hold fp32 weights on the CPU; place them where (and in the precision) this evaluation computes.
            ModelPlacement.PrepareForInference(model, device, precision);
            int threads = threadCount ?? config.Training.Threads;
            TorchSharp.torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
            long step = Checkpoint.LoadState(folder).Step;
            AnsiConsole.MarkupLine($"Evaluating [blue]{Markup.Escape(folder)}[/] (step {step:N0}) with the [bold]{suite.Name}[/] suite on {device} in {precision}");
            var options = new SuiteOptions(suite, tasks)
            {
                BenchmarkFiles = benchmarkFiles,
                EmojiFolder = emojiFolder,
                FeatureCacheDirectory = noCache ? null : Path.Combine(folder, FeatureCache.FolderName),
            };
            var report = SuiteEvaluator.Run(model, tokenizer, config, options, Console.Out) with { Checkpoint = Path.GetFullPath(folder), Step = step };
            SuiteResultsTable.Show(report);
            if (jsonPath is not null)
            {
                report.Save(jsonPath);
                AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(jsonPath)}[/]");
            }
        }
        return 0;
    }
}
