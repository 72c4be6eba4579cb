using System.CommandLine;
using ClipLab.Imaging;
using ClipLab.Inference;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab embed</c>: embeds images or texts with an exported ONNX model (no TorchSharp involved).</summary>
internal static class EmbedCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "An exported model folder (cliplab export onnx).", Required = true };
        var images = new Option<string?>("--images") { Description = "Embed every image in this folder (sub-folders included)." };
        var text = new Option<string[]>("--text") { Description = "Embed this text (repeat for several).", AllowMultipleArgumentsPerToken = false };
        var output = new Option<string>("--out") { Description = "JSON file for the embeddings (model, kind, embedDim, items: source + embedding).", Required = true };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("embed", "Embed images or texts with an exported ONNX model, on the CPU through ONNX Runtime.")
        {
            model, images, text, output, threads,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(images), parse.GetValue(text) ?? [], parse.GetValue(output)!, parse.GetValue(threads)));
        return command;
    }

    private static int Run(string modelFolder, string? imageFolder, string[] texts, string outPath, int threads)
    {
        if ((imageFolder is null) == (texts.Length == 0)) throw new ArgumentException("give either --images DIR or --text \"...\" (not both)");
        if (threads < 0) throw new ArgumentException($"--threads must be 0 (one per core) or positive, got {threads}");
        using var model = ClipOnnxModel.Load(modelFolder, threads);
        EmbeddingFile file;
        if (imageFolder is not null)
        {
            var paths = ImageFiles.InFolder(imageFolder);
            if (paths.Count == 0) throw new InvalidDataException($"{imageFolder} has no images (extensions {string.Join(", ", ImageFiles.Extensions)}).");
            file = EmbeddingFile.From(model.Manifest.ModelName, "image", paths, model.EmbedImageFiles(paths));
        }
        else
        {
            file = EmbeddingFile.From(model.Manifest.ModelName, "text", texts, model.EmbedTexts(texts));
        }

        file.Save(outPath);
        AnsiConsole.MarkupLine($"Embedded {file.Items.Count:N0} {file.Kind}(s) ({file.EmbedDim} dims) into [blue]{Markup.Escape(outPath)}[/]");
        return 0;
    }
}
