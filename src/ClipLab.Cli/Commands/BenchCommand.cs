using System.CommandLine;
using System.Text.Json;
using ClipLab.Benchmarks;
using ClipLab.IO;
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
        var command = new Command("data", "Loader throughput: decode + random_resized_crop(64) + flip (± RandAugment) from JPEG and PNG shards, 1 and 2 workers.")
        {
            work, images, repeats, json,
        };
        command.SetAction(parse =>
        {
            var results = DataPipelineBenchmark.Run(parse.GetValue(work)!, parse.GetValue(images), parse.GetValue(repeats),
                log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Loader throughput[/] (~256 px Tux Paint images → 64 px)")
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

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Registered CLIP model.", DefaultValueFactory = _ => "clip-vit-nano-p8-32" };
        var batch = new Option<int>("--batch") { Description = "Batch size.", DefaultValueFactory = _ => 256 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per loop and round.", DefaultValueFactory = _ => 20 };
        var rounds = new Option<int>("--rounds") { Description = "Alternating rounds (minimal loop, trainer).", DefaultValueFactory = _ => 3 };
        var json = new Option<string?>("--json") { Description = "Also write the result as JSON." };
        var train = new Command("train", "Trainer step time against a minimal hand-written TorchSharp CLIP loop (same model and batch).")
        {
            model, batch, steps, rounds, json,
        };
        train.SetAction(parse =>
        {
            var result = TrainStepBenchmark.Run(parse.GetValue(model)!, parse.GetValue(batch), parse.GetValue(steps), parse.GetValue(rounds),
                log: message => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(message)}[/]"));
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Training step[/] ({Markup.Escape(result.Model)}, batch {result.BatchSize})")
                .AddColumn("loop").AddColumn("median step").AddColumn("samples/s");
            table.AddRow("minimal TorchSharp loop", $"{result.MinimalMedianSeconds * 1000:F0} ms", $"{result.MinimalSamplesPerSecond:F0}");
            table.AddRow("ClipLab Trainer", $"{result.TrainerMedianSeconds * 1000:F0} ms", $"{result.TrainerSamplesPerSecond:F0}");
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"Trainer / minimal step time: [bold]{result.Ratio:F3}[/] ({result.StepsPerLoop} steps × {result.Rounds} rounds each)");
            string? path = parse.GetValue(json);
            if (path is not null) AtomicFile.WriteAllText(path, JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        });
        return new Command("bench", "Performance benchmarks (figures for docs/benchmarks.md).") { train, CreateData() };
    }
}
