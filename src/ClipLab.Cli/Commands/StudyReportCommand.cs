using System.CommandLine;
using ClipLab.Studies.Reporting;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary>
/// <c>cliplab study report DIR</c>: figures, tables and verdicts on the paper's claims from a study's results.
/// <see cref="CreateStudy"/> is a <c>study</c> parent holding only this subcommand; where the full <c>study</c>
/// command exists, it adds <see cref="Create"/> instead.
/// </summary>
internal static class StudyReportCommand
{
    /// <summary>The <c>study</c> parent with <c>report</c> as its only subcommand.</summary>
    public static Command CreateStudy() => new("study", "Run the paper's experiments as grids and report on them.") { Create() };

    /// <summary>The <c>report</c> subcommand, reading results through <paramref name="results"/> (default: <c>results.jsonl</c>).</summary>
    public static Command Create(IStudyResults? results = null)
    {
        var directory = new Argument<string>("DIR") { Description = "The study folder (the --out folder of `cliplab study run`)." };
        var output = new Option<string?>("--out") { Description = "Where to write report.html, report.md and figures/ (default: DIR/report)." };
        var command = new Command("report", "Write a self-contained HTML page and a Markdown file with the study's figures, tables and a verdict on each of the paper's claims it tests.")
        {
            directory, output,
        };
        command.SetAction(parse => Run(results ?? new JsonLinesStudyResults(), parse.GetValue(directory)!, parse.GetValue(output)));
        return command;
    }

    private static int Run(IStudyResults results, string directory, string? output)
    {
        var files = StudyReportWriter.Write(results, directory, PaperClaims.All, output);
        foreach (var report in files.Reports)
        {
            AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Study)}[/] ({Markup.Escape(report.Scale)}): {report.Runs.Count} runs, {report.Figures.Count} figures.");
            foreach (var v in report.Verdicts)
            {
                string colour = v.Outcome switch { Verdict.Holds => "green", Verdict.DoesNotHold => "red", _ => "yellow" };
                AnsiConsole.MarkupLine($"  {Markup.Escape(v.Claim.Id)}: [{colour}]{VerdictText.Of(v.Outcome)}[/]");
            }
        }
        AnsiConsole.MarkupLine($"Report: [blue]{Markup.Escape(files.Html)}[/]");
        AnsiConsole.MarkupLine($"Markdown: [blue]{Markup.Escape(files.Markdown)}[/]");
        return 0;
    }
}
