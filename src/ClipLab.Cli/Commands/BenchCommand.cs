using System.CommandLine;
using System.Text.Json;
using ClipLab.Corpus;
using ClipLab.Inference;
using ClipLab.Interop.Onnx;
using ClipLab.Configuration;
using ClipLab.IO;
using ClipLab.Models;
using ClipLab.Performance;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab bench</c>: performance measurements whose figures go to docs/benchmarks.md.</summary>
internal static class BenchCommand
{
    private static Command CreateData()
    {
        var work = new Option<string>("--work") { Description = "Folder for the benchmark shards (reused when present).", DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "cliplab-bench-data") };
        var images = new Option<int>("--images") { Description = "Images per shard set.", DefaultValueFactory = _ => 600 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes per configuration (median reported).", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON." };
        var size = new Option<int>("--size") { Description = "Output side in pixels (64 for the CPU models, 224 for a ViT-B/32 on a GPU).", DefaultValueFactory = _ => 64 };
        var command = new Command("data", "Loader throughput: decode + random_resized_crop(--size) + flip (± RandAugment) from JPEG and PNG shards, 1 and 2 workers.")
        {
            work, images, repeats, json, size,
        };
        command.SetAction(parse =>
        {
            var photos = new TuxpaintImporter().Read(ImportReport.NewCounter());
            var results = DataPipelineBenchmark.Run(parse.GetValue(work)!, photos, parse.GetValue(images), parse.GetValue(repeats),
                log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), size: parse.GetValue(size));
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Loader throughput[/] (~256 px Tux Paint images → {parse.GetValue(size)} px)")
                .AddColumn("format").AddColumn("pipeline").AddColumn("workers").AddColumn("images/s").AddColumn("per worker");
            foreach (var r in results)
                table.AddRow(r.Format, Markup.Escape(r.Pipeline.Replace("|value_range(-1,1)", "")), $"{r.Workers}", $"{r.ImagesPerSecond:F0}", $"{r.ImagesPerSecondPerWorker:F0}");
            AnsiConsole.Write(table);
            string? path = parse.GetValue(json);
            if (path is not null) AtomicFile.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return command;
    }

    private static Command CreateZoo()
    {
        var models = new Option<string[]>("--model") { Description = "CLIP model to train (repeat for several; default: the scaled-down model of every vision family).", AllowMultipleArgumentsPerToken = true };
        var samples = new Option<long>("--samples-seen") { Description = "Training samples per model.", DefaultValueFactory = _ => 61_440 };
        var work = new Option<string>("--work") { Description = "Parent folder of the run folders.", DefaultValueFactory = _ => Path.Combine("runs", "bench-zoo") };
        var json = new Option<string?>("--json") { Description = "Also write the results as JSON." };
        var command = new Command("zoo", "Trains each vision family's scaled-down CLIP model with one recipe on Fashion-MNIST: zero-shot top-1, samples/s and GMACs side by side.")
        {
            models, samples, work, json,
        };
        command.SetAction((parse, cancellation) =>
        {
            var names = parse.GetValue(models) is { Length: > 0 } given ? given : ModelZooBenchmark.DefaultModels();
            foreach (var name in names) ModelRegistry.GetClip(name); // unknown names fail before any training, listing the valid ones
            var results = ModelZooBenchmark.Run(names, parse.GetValue(samples), parse.GetValue(work)!,
                log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"), cancellation);
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Vision families[/] ({parse.GetValue(samples):N0} samples seen each, Fashion-MNIST)")
                .AddColumn("family").AddColumn("model").AddColumn("px").AddColumn("vision params", c => c.RightAligned())
                .AddColumn("vision GMACs", c => c.RightAligned()).AddColumn("train GFLOPs/sample", c => c.RightAligned())
                .AddColumn("samples/s", c => c.RightAligned()).AddColumn("train time", c => c.RightAligned())
                .AddColumn("zero-shot top-1", c => c.RightAligned());
            foreach (var r in results)
                table.AddRow(r.Family, r.Model, $"{r.ImageSize}", $"{r.VisionParameters / 1e6:F2}M", $"{r.VisionGMacs:G4}", $"{r.TrainGflopsPerSample:G4}",
                    $"{r.SamplesPerSecond:F0}", TimeSpan.FromSeconds(r.TrainSeconds).ToString(@"m\:ss"), $"{r.ZeroShotTop1:F3}");
            AnsiConsole.Write(table);
            string? path = parse.GetValue(json);
            if (path is not null) AtomicFile.WriteAllText(path, JsonSerializer.Serialize(results, new JsonSerializerOptions { WriteIndented = true }));
            if (results.Count == names.Count) return Task.FromResult(0);
            Console.Error.WriteLine($"Interrupted: {results.Count} of {names.Count} model(s) finished and are shown above; a new run starts the others over.");
            return Task.FromResult(130); // the caller reports the signal's own exit code
        });
        return command;
    }

    private static Command CreateOnnx()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run folder (its latest checkpoint is used) or a checkpoint folder.", Required = true };
        var onnxFolder = new Option<string?>("--onnx") { Description = "Its export (cliplab export onnx); default: export into a temporary folder." };
        var images = new Option<int>("--images") { Description = "Images embedded per timed run.", DefaultValueFactory = _ => 1024 };
        var batch = new Option<int>("--batch") { Description = "Images per encoder call.", DefaultValueFactory = _ => 64 };
        var runs = new Option<int>("--runs") { Description = "Timed runs per runtime (median reported).", DefaultValueFactory = _ => 5 };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads of both runtimes (0 = one per core).", DefaultValueFactory = _ => 0 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON." };
        var command = new Command("onnx", "Image-embedding throughput of a checkpoint through TorchSharp and through its ONNX export (ONNX Runtime), CPU.")
        {
            checkpoint, onnxFolder, images, batch, runs, threads, json,
        };
        command.SetAction(parse =>
        {
            int threadCount = parse.GetValue(threads);
            if (threadCount < 0) throw new ArgumentException($"--threads must be 0 (one per core) or positive, got {threadCount}");
            int effective = threadCount > 0 ? threadCount : Environment.ProcessorCount;
            var (config, tokenizer, model, folder) = Checkpoint.LoadTrained(parse.GetValue(checkpoint)!);
            using (model)
            {
                string name = config.ModelConfig is null ? config.Model : $"custom {config.ModelConfig.Vision.Family}";
                string exported = parse.GetValue(onnxFolder) ?? Path.Combine(Path.GetTempPath(), $"cliplab-bench-onnx-{Environment.ProcessId}");
                if (parse.GetValue(onnxFolder) is null) OnnxExport.Write(model, tokenizer, exported, name);
                TorchSharp.torch.set_num_threads(effective);
                using var onnx = ClipOnnxModel.Load(exported, effective);
                onnx.BatchSize = parse.GetValue(batch);
                var result = OnnxThroughputBenchmark.Run(name, model, onnx, parse.GetValue(images), parse.GetValue(batch), parse.GetValue(runs), effective,
                    log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
                var table = new Table().Border(TableBorder.Rounded)
                    .Title($"[bold]Image embedding[/] ({Markup.Escape(name)}, batch {result.BatchSize}, {result.Threads} threads, median of {result.Runs})")
                    .AddColumn("runtime").AddColumn("images/s", c => c.RightAligned());
                table.AddRow("TorchSharp", $"{result.TorchSharpImagesPerSecond:F0}");
                table.AddRow("ONNX Runtime", $"{result.OnnxRuntimeImagesPerSecond:F0}");
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"ONNX Runtime / TorchSharp: [bold]{result.Speedup:F2}×[/] ({Markup.Escape(folder)})");
                string? path = parse.GetValue(json);
                if (path is not null) AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            }

            return 0;
        });
        return command;
    }

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Registered CLIP model.", DefaultValueFactory = _ => "clip-vit-nano-p8-32" };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per loop and round.", DefaultValueFactory = _ => 20 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (minimal loop, trainer).", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON." };
        var modelConfig = new Option<string?>("--config") { Description = "Take the model from this run config (its model or modelConfig), e.g. configs/bench/vit-b-32-text-768.json; overrides --model." };
        var train = new Command("train", "Trainer step time against a minimal hand-written TorchSharp CLIP loop (same model, batch, device and precision).")
        {
            model, batch, steps, rounds, json, modelConfig,
        };
        var runtime = new RuntimeOptions();
        runtime.AddTo(train);
        train.SetAction(parse =>
        {
            string? configPath = parse.GetValue(modelConfig);
            var baseConfig = configPath is null ? new RunConfig { Model = parse.GetValue(model)! } : ConfigJson.Load<RunConfig>(configPath);
            baseConfig = runtime.ApplyTo(baseConfig, parse);
            var result = TrainStepBenchmark.Run(baseConfig, parse.GetValue(batch), parse.GetValue(steps), parse.GetValue(rounds),
                log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Training step[/] ({Markup.Escape(result.Model)}, batch {result.BatchSize}, {result.Device}, {result.Precision})")
                .AddColumn("loop").AddColumn("median step").AddColumn("samples/s");
            table.AddRow("minimal TorchSharp loop", $"{result.MinimalMedianSeconds * 1000:F0} ms", $"{result.MinimalSamplesPerSecond:F0}");
            table.AddRow("ClipLab Trainer", $"{result.TrainerMedianSeconds * 1000:F0} ms", $"{result.TrainerSamplesPerSecond:F0}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"Trainer / minimal step time: [bold]{result.Ratio:F3}[/] ({result.StepsPerLoop} steps × {result.Rounds} rounds each)");
            string? path = parse.GetValue(json);
            if (path is not null) AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return new Command("bench", "Performance benchmarks (figures for docs/benchmarks.md).") { train, CreateData(), CreateZoo(), CreateOnnx() };
    }
}
