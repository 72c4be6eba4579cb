using System.CommandLine;
using ClipLab.Inference;
using ClipLab.Interop.Onnx;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab export</c>: writes a trained model in another format; one subcommand per format.</summary>
internal static class ExportCommand
{
    public static Command Create() => new("export", "Write a trained model in a format other tools read.")
    {
        CreateOnnx(),
        SafetensorsCommands.CreateExport(),
    };

    private static Command CreateOnnx()
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "A run folder (its latest checkpoint is used) or a checkpoint folder.", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for image_encoder.onnx, text_encoder.onnx, tokenizer.model and cliplab-onnx.json.", Required = true };
        var verify = new Option<bool>("--verify") { Description = $"Compare ONNX Runtime with TorchSharp on random inputs at batch sizes {string.Join(", ", OnnxVerification.DefaultBatchSizes)}; fails above {OnnxVerification.Tolerance:G}." };
        var zeroShot = new Option<bool>("--zero-shot") { Description = "Also score zero-shot Fashion-MNIST test through both runtimes (the evaluation's prompts and pixels)." };
        var threads = new Option<int>("--threads") { Description = "Intra-op threads of both runtimes for the checks (0 = one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("onnx", "Export the image and text encoders to ONNX (opset 17, dynamic batch) with the tokenizer and preprocessing, for ONNX Runtime.")
        {
            checkpoint, output, verify, zeroShot, threads,
        };
        command.SetAction(parse => RunOnnx(parse.GetValue(checkpoint)!, parse.GetValue(output)!, parse.GetValue(verify), parse.GetValue(zeroShot), parse.GetValue(threads)));
        return command;
    }

    private static int RunOnnx(string checkpoint, string outDir, bool verify, bool zeroShot, int threads)
    {
        if (threads < 0) throw new ArgumentException($"--threads must be 0 (one per core) or positive, got {threads}");
        var (config, tokenizer, model, folder) = Checkpoint.LoadTrained(checkpoint);
        using (model)
        {
            var name = config.ModelConfig is null ? config.Model : $"custom {config.ModelConfig.Vision.Family}";
            var manifest = OnnxExport.Write(model, tokenizer, outDir, name);
            AnsiConsole.MarkupLine($"Exported [blue]{Markup.Escape(folder)}[/] ({Markup.Escape(name)}, {manifest.VisionFamily}, embed {manifest.EmbedDim}) to [blue]{Markup.Escape(outDir)}[/]");
            foreach (var file in new[] { manifest.ImageEncoder, manifest.TextEncoder, manifest.Tokenizer, OnnxModelManifest.FileName })
                AnsiConsole.MarkupLine($"  {Markup.Escape(file),-20} {new FileInfo(Path.Combine(outDir, file)).Length / 1024.0:N0} KiB");
            if (!verify && !zeroShot) return 0;

            TorchSharp.torch.set_num_threads(threads > 0 ? threads : Environment.ProcessorCount);
            using var onnx = ClipOnnxModel.Load(outDir, threads);
            int exit = 0;
            if (verify)
            {
                var result = OnnxVerification.Compare(model, onnx);
                var table = new Table().Border(TableBorder.Rounded).Title("[bold]ONNX Runtime vs TorchSharp[/] (random inputs)")
                    .AddColumn("encoder").AddColumn("batch sizes").AddColumn("max abs difference", c => c.RightAligned());
                string sizes = string.Join(", ", result.BatchSizes);
                table.AddRow("image", sizes, $"{result.ImageMaxAbsDifference:E2}");
                table.AddRow("text", sizes, $"{result.TextMaxAbsDifference:E2}");
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine(result.Passed
                    ? $"[green]verified[/]: max abs difference {result.MaxAbsDifference:E2} ≤ {OnnxVerification.Tolerance:G}"
                    : $"[red]verification failed[/]: max abs difference {result.MaxAbsDifference:E2} > {OnnxVerification.Tolerance:G}");
                if (!result.Passed) exit = 1;
            }

            if (zeroShot)
            {
                AnsiConsole.MarkupLine("Zero-shot Fashion-MNIST test through TorchSharp and ONNX Runtime ...");
                var result = OnnxZeroShotComparison.Run(model, tokenizer, config, onnx);
                var table = new Table().Border(TableBorder.Rounded).Title($"[bold]Zero-shot[/] (Fashion-MNIST test, {result.Images:N0} images)")
                    .AddColumn("runtime").AddColumn("top-1", c => c.RightAligned()).AddColumn("top-5", c => c.RightAligned());
                table.AddRow("TorchSharp", $"{result.TorchSharp.Top1:F4}", $"{result.TorchSharp.Top5:F4}");
                table.AddRow("ONNX Runtime", $"{result.OnnxRuntime.Top1:F4}", $"{result.OnnxRuntime.Top5:F4}");
                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"images predicted differently: {result.DifferentPredictions}; image embedding max abs difference {result.ImageMaxAbsDifference:E2}");
            }

            return exit;
        }
    }
}
