using System.CommandLine;
using ClipLab.Inference;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab search</c>: ranks a folder's images by similarity to a text, with an exported ONNX model.</summary>
internal static class SearchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "An exported model folder (cliplab export onnx).", Required = true };
        var images = new Option<string>("--images") { Description = "Folder of images to search (sub-folders included).", Required = true };
        var text = new Option<string>("--text") { Description = "What to look for.", Required = true };
        var top = new Option<int>("--top") { Description = "How many images to list.", DefaultValueFactory = _ => 10 };
        var threads = new Option<int>("--threads") { Description = "ONNX Runtime intra-op threads (0 = one per core).", DefaultValueFactory = _ => 0 };
        var command = new Command("search", "Search a folder of images by text with an exported ONNX model, on the CPU through ONNX Runtime.")
        {
            model, images, text, top, threads,
        };
        command.SetAction(parse => Run(parse.GetValue(model)!, parse.GetValue(images)!, parse.GetValue(text)!, parse.GetValue(top), parse.GetValue(threads)));
        return command;
    }

    private static int Run(string modelFolder, string imageFolder, string text, int top, int threads)
    {
        if (top < 1) throw new ArgumentException($"--top must be at least 1, got {top}");
        if (threads < 0) throw new ArgumentException($"--threads must be 0 (one per core) or positive, got {threads}");
        using var model = ClipOnnxModel.Load(modelFolder, threads);
        var search = ImageSearch.IndexFolder(model, imageFolder);
        var matches = search.Query(model, text, top);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"[bold]{Markup.Escape(text)}[/] ({search.Paths.Count:N0} images, {Markup.Escape(model.Manifest.ModelName)})")
            .AddColumn("rank", c => c.RightAligned()).AddColumn("similarity", c => c.RightAligned()).AddColumn("image");
        for (int i = 0; i < matches.Count; i++)
            table.AddRow($"{i + 1}", $"{matches[i].Similarity:F4}", Markup.Escape(Path.GetRelativePath(imageFolder, matches[i].Path)));
        AnsiConsole.Write(table);
        return 0;
    }
}
