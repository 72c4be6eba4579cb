using System.CommandLine;
using System.Text.Json;
using ClipLab.Interop.OpenClip;
using ClipLab.Interop.Safetensors;
using ClipLab.IO;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary>
/// <c>cliplab export safetensors</c> and <c>cliplab import</c>: weights in and out as safetensors under open_clip's
/// state-dict names (docs/interop.md).
/// </summary>
internal static class SafetensorsCommands
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The <c>safetensors</c> subcommand of <c>export</c>.</summary>
    public static Command CreateExport()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run folder (its latest checkpoint is used) or a checkpoint folder.", Required = true };
        var output = new Option<string>("--out") { Description = "The .safetensors file to write.", Required = true };
        var dtype = new Option<string>("--dtype") { Description = "Element type of the weights: f32 (exact), f16 or bf16.", DefaultValueFactory = _ => "f32" };
        var configOut = new Option<string?>("--config-out") { Description = "Where to write open_clip's model config JSON (default: the --out path with .json)." };
        var command = new Command("safetensors", "Write a checkpoint's weights under open_clip's state-dict names, with an open_clip model config.")
        {
            checkpoint, output, dtype, configOut,
        };
        command.SetAction(parse => Export(parse.GetValue(checkpoint)!, parse.GetValue(output)!, parse.GetValue(dtype)!, parse.GetValue(configOut)));
        return command;
    }

    /// <summary>The top-level <c>import</c> command.</summary>
    public static Command CreateImport()
    {
        var weights = new Option<string>("--weights") { Description = "An open_clip (or timm ConvNeXt) .safetensors file.", Required = true };
        var config = new Option<string?>("--config") { Description = "open_clip model config JSON (model_configs/*.json or the hub's open_clip_config.json)." };
        var model = new Option<string?>("--model") { Description = $"Instead of --config: open_clip {string.Join(", ", OpenClipModelConfig.Names)}, or a ClipLab CLIP model." };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "SentencePiece .model matching the weights' text tower (default: ClipLab's shipped one)." };
        var visionOnly = new Option<bool>("--vision-only") { Description = "Import only the image tower; the text tower starts fresh with the tokenizer's vocabulary." };
        var output = new Option<string>("--out") { Description = "The run folder to create; `cliplab eval --checkpoint` evaluates it.", Required = true };
        var command = new Command("import", "Read open_clip or timm safetensors weights into a ClipLab run folder that `cliplab eval` evaluates.")
        {
            weights, config, model, tokenizer, visionOnly, output,
        };
        command.SetAction(parse => Import(parse.GetValue(weights)!, parse.GetValue(config), parse.GetValue(model), parse.GetValue(tokenizer),
            parse.GetValue(visionOnly), parse.GetValue(output)!));
        return command;
    }

    private static int Export(string checkpoint, string output, string dtypeName, string? configOut)
    {
        var dtype = SafetensorsDTypes.ParseWritable(dtypeName);
        var (config, _, model, folder) = Checkpoint.LoadTrained(checkpoint);
        using (model)
        {
            var export = OpenClipExporter.Export(model, dtype);
            SafetensorsWriter.Write(output, export.Tensors, export.Metadata);
            var configPath = configOut ?? Path.ChangeExtension(output, ".json");
            AtomicFile.WriteAllText(configPath, export.Config.ToJsonString(Indented));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(output)}[/]: {export.Tensors.Count} tensors ({dtype}) from {Markup.Escape(folder)} under open_clip names");
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(configPath)}[/]: open_clip model config");
            foreach (var omitted in export.Omitted)
            {
                AnsiConsole.MarkupLine($"[grey]left out {Markup.Escape(omitted)}[/]");
            }

            var tokenizer = config.Tokenizer.Path ?? "ClipLab's shipped tokenizer";
            AnsiConsole.MarkupLine($"[grey]The text tower reads ids from {Markup.Escape(tokenizer)}; open_clip's own tokenizer would give other ids.[/]");
        }

        return 0;
    }

    private static int Import(string weights, string? config, string? model, string? tokenizer, bool visionOnly, string output)
    {
        var result = ImportedRun.Write(weights, config, model, tokenizer, visionOnly, output);
        var layout = result.TimmLayout ? "timm trunk" : "open_clip";
        AnsiConsole.MarkupLine($"Imported {result.Loaded} tensors ({layout} names) from [blue]{Markup.Escape(weights)}[/] as a '{Markup.Escape(result.Config.Vision.Family)}' model ({Markup.Escape(result.ConfigSource)})");
        foreach (var skipped in result.Skipped)
        {
            AnsiConsole.MarkupLine($"[grey]skipped {Markup.Escape(skipped)}[/]");
        }

        if (result.KeptInitial.Count > 0)
        {
            AnsiConsole.MarkupLine($"[yellow]{result.KeptInitial.Count} tensors keep their initial values[/] (e.g. {Markup.Escape(result.KeptInitial[0])})");
        }

        AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(result.CheckpointFolder)}[/] (tokenizer {Markup.Escape(result.TokenizerPath)}); evaluate with `cliplab eval --checkpoint {Markup.Escape(output)}`");
        return 0;
    }
}
