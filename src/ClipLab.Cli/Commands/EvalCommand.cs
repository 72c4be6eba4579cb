using System.CommandLine;
using ClipLab.Cli.Rendering;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Benchmarks.Standard;
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
        // One option per standard format; caption sets also take their image folder.
        var standard = StandardBenchmarkSource.Formats.ToDictionary(f => f, f => new Option<string?>("--" + f)
        {
            Description = f switch
            {
                "coco" => "MSCOCO captions file (captions_val2017.json, or Karpathy's dataset_coco.json: its 5k test split); needs --coco-images.",
                "flickr30k" => "Flickr30k Karpathy split file (dataset_flickr30k.json: its 1k test split); needs --flickr-images.",
                "cifar10" or "cifar100" => $"The {f} binary-version folder (cifar-10-batches-bin / cifar-100-binary).",
                "objectnet" => "The objectnet-1.0 folder (images/ and mappings/).",
                _ => $"The {f} image folder (synset folders, 0..999 folders, or flat files with a label list; docs/evaluation.md).",
            },
        });
        var cocoImages = new Option<string?>("--coco-images") { Description = "Folder of the COCO images (val2017/, or the folder holding val2014/ for Karpathy's file)." };
        var flickrImages = new Option<string?>("--flickr-images") { Description = "Folder of the Flickr30k images (flickr30k-images/)." };
        var templates = new Option<string>("--templates")
        {
            Description = $"Prompt templates of the standard benchmarks: {string.Join(", ", ImageNetClasses.TemplateSets)} (CLIP's 80, big_vision's 8 best).",
            DefaultValueFactory = _ => "clip",
        };
        var command = new Command("eval", "Evaluate a checkpoint: zero-shot (with distribution shifts), linear probe, few-shot and retrieval.")
        {
            checkpoint, suite, task, benchmark, emoji, json, noCache, threads, cocoImages, flickrImages, templates,
        };
        foreach (var option in standard.Values) command.Options.Add(option);
        var runtime = new RuntimeOptions();
        runtime.AddTo(command);
        command.SetAction((parse, cancellation) => Task.FromResult(Run(parse.GetValue(checkpoint)!, parse.GetValue(suite)!, parse.GetValue(task) ?? [], parse.GetValue(benchmark) ?? [],
            parse.GetValue(emoji), parse.GetValue(json), parse.GetValue(noCache), parse.GetValue(threads),
            standard.Where(o => parse.GetValue(o.Value) is not null)
                .Select(o => new StandardBenchmarkSource(o.Key, parse.GetValue(o.Value)!,
                    o.Key == "coco" ? parse.GetValue(cocoImages) : o.Key == "flickr30k" ? parse.GetValue(flickrImages) : null).Validated())
                .ToList(),
            parse.GetValue(templates)!,
            runtime.DeviceOr(parse, ComputeDevice.Cpu), runtime.PrecisionOr(parse, Precision.Fp32), cancellation)));
        return command;
    }

    private static int Run(string checkpoint, string suiteName, string[] taskNames, string[] benchmarkFiles, string? emojiFolder, string? jsonPath, bool noCache, int? threadCount,
        IReadOnlyList<StandardBenchmarkSource> standardBenchmarks, string templateSet, string deviceSpec, string precision, CancellationToken cancellation)
    {
        ImageNetClasses.Templates(templateSet); // an unknown set fails before the checkpoint is loaded
        var device = ComputeDevice.Open(deviceSpec);
        var suite = EvaluationSuite.Get(suiteName.Trim().ToLowerInvariant());
        var tasks = new List<string>();
        foreach (var name in taskNames.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!EvaluationTaskNames.TryParse(name, out string canonical)) throw new ArgumentException($"unknown --task '{name}'. Valid tasks: {ValidTasks}");
            tasks.Add(canonical);
        }
        if (tasks.Count == 0) tasks.AddRange(SuiteOptions.AllTasks);
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
                StandardBenchmarks = standardBenchmarks,
                TemplateSet = templateSet,
                EmojiFolder = emojiFolder,
                FeatureCacheDirectory = noCache ? null : Path.Combine(folder, FeatureCache.FolderName),
            };
            SuiteReport report;
            try
            {
                report = EvaluationSuiteRunner.Run(model, tokenizer, config, options, Console.Out, cancellation) with { Checkpoint = Path.GetFullPath(folder), Step = step };
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                string kept = options.FeatureCacheDirectory is { } cache && Directory.Exists(cache)
                    ? $"{Directory.GetFiles(cache, "*" + FeatureCache.FileExtension, SearchOption.AllDirectories).Length} feature set(s) are cached in {cache}; run the same command again to continue from them."
                    : "nothing was cached (--no-cache); a new run starts over.";
                Console.Error.WriteLine($"Interrupted: {kept}");
                return 130; // the caller reports the signal's own exit code
            }
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
