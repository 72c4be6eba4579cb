using System.CommandLine;
using System.Text.Json;
using ClipLab.Models.Compute;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab models</c>: every registered vision tower, text tower and CLIP model with its size and cost.</summary>
internal static class ModelsCommand
{
    private static readonly string[] Kinds = ["vision", "text", "clip"];

    // Relaxed escaping keeps "+" and "×" in descriptions readable; the output is not embedded in HTML.
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array (name, kind, params, gmacs, image_size, context_length, ...) instead of a table." };
        var kind = new Option<string?>("--kind") { Description = $"Only list one kind: {string.Join(", ", Kinds)}." };
        var command = new Command("models", "List registered models with parameters and forward GMACs per sample (FLOPs = 2 × MACs).") { json, kind };
        command.SetAction(parse => Run(parse.GetValue(json), parse.GetValue(kind)));
        return command;
    }

    private static int Run(bool json, string? kind)
    {
        if (kind is not null && !Kinds.Contains(kind))
            throw new ArgumentException($"unknown --kind '{kind}'. Valid kinds: {string.Join(", ", Kinds)}");
        var rows = ModelCostSummary.ForRegistry().Where(r => kind is null || r.Kind == kind).ToList();
        if (json)
        {
            // Plain stdout, so the output can be piped into jq or a script.
            Console.Out.WriteLine(JsonSerializer.Serialize(rows, JsonOptions));
            return 0;
        }
        // One table per kind keeps each within 80 columns; descriptions are in the JSON.
        foreach (var group in rows.GroupBy(r => r.Kind))
        {
            var table = new Table().Border(TableBorder.Rounded).Title($"[bold]{Title(group.Key)}[/]")
                .AddColumn("name").AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("GMACs").RightAligned());
            if (group.Key != "text") table.AddColumn(new TableColumn("px").RightAligned());
            if (group.Key != "vision") table.AddColumn(new TableColumn("tokens").RightAligned());
            if (group.Key == "clip") table.AddColumn(new TableColumn("train GFLOPs").RightAligned());
            foreach (var r in group)
            {
                var cells = new List<string> { Markup.Escape(r.Name), Millions(r.Parameters), $"{r.GMacs:G4}" };
                if (r.ImageSize is int px) cells.Add($"{px}");
                if (r.ContextLength is int tokens) cells.Add($"{tokens}");
                if (r.TrainingGflopsPerSample is double g) cells.Add($"{g:G4}");
                table.AddRow(cells.ToArray());
            }
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLine("Towers are counted without their head (as timm's tables); CLIP models whole. GMACs per sample; " +
                               "FLOPs = 2 × MACs; train GFLOPs per sample = 3 × forward. [grey]--json adds descriptions.[/]");
        return 0;
    }

    private static string Millions(long count) => $"{count / 1e6:F2}M";

    private static string Title(string kind) => kind switch
    {
        "vision" => "Vision towers",
        "text" => "Text towers",
        _ => "CLIP models",
    };
}
