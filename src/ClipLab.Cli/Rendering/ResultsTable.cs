using ClipLab.Evaluation;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Rendering;

/// <summary>Renders evaluation and training results as console tables (narrow enough for 80 columns).</summary>
public static class ResultsTable
{
    /// <summary>Prints a run's results.</summary>
    public static void Show(RunResults results)
    {
        Show(results.ZeroShot, results.Retrieval);
        var train = results.Train;
        var table = new Table().Border(TableBorder.Rounded).Title("[bold]Training[/]").AddColumn("").AddColumn("");
        table.HideHeaders();
        table.AddRow("model", Markup.Escape(train.Model));
        // When data was skipped or lost, epochs are passes over what was usable: say so beside the listed size.
        string epochOf = train.UsableSamples > 0 && train.UsableSamples < train.DatasetSize
            ? $"{train.UsableSamples:N0} usable of {train.DatasetSize:N0}"
            : $"{train.DatasetSize:N0}";
        table.AddRow("samples seen", $"{train.SamplesSeen:N0} ({train.Epochs:F2} epochs of {epochOf}, batch {train.BatchSize})");
        table.AddRow("training compute", train.BudgetGflops is double budget
            ? $"{Gflops(train.Gflops)} of a {Gflops(budget)} budget ({train.GflopsPerSample:G3} GFLOPs/sample)"
            : $"{Gflops(train.Gflops)} ({train.GflopsPerSample:G3} GFLOPs/sample)");
        if (train.PaperGflopsPerSample is double paper)
            table.AddRow("paper's convention", $"{paper:G3} GFLOPs/sample (SLIP as 2× CLIP)");
        table.AddRow("throughput", $"{train.SamplesPerSecond:F0} samples/s");
        table.AddRow("training time", TimeSpan.FromSeconds(train.WallSeconds).ToString(@"m\:ss"));
        table.AddRow("final loss", $"{train.FinalLoss:F4}");
        table.AddRow("skipped samples", train.BadSamples == 0 ? "none" : Markup.Escape($"{train.BadSamples:N0}: {train.BadSampleSummary}"));
        table.AddRow("checkpoint", Markup.Escape(results.Checkpoint));
        AnsiConsole.Write(table);
    }

    /// <summary>Prints evaluation metrics.</summary>
    public static void Show(ZeroShotReport? zeroShot, RetrievalReport? retrieval)
    {
        if (zeroShot is not null)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Zero-shot classification[/]")
                .AddColumn("benchmark").AddColumn("images").AddColumn("prompt templates").AddColumn("top-1").AddColumn("top-5");
            table.AddRow(Markup.Escape(zeroShot.Benchmark), $"{zeroShot.Images:N0}", $"{zeroShot.Templates}", Percent(zeroShot.Top1), Percent(zeroShot.Top5));
            AnsiConsole.Write(table);
        }
        if (retrieval is not null)
        {
            var table = new Table().Border(TableBorder.Rounded)
                .Title($"[bold]Retrieval[/] ({retrieval.Images:N0} images, {retrieval.Texts:N0} captions)")
                .AddColumn("direction").AddColumn("R@1").AddColumn("R@5").AddColumn("R@10");
            table.AddRow("image → text", Percent(retrieval.ImageToText.R1), Percent(retrieval.ImageToText.R5), Percent(retrieval.ImageToText.R10));
            table.AddRow("text → image", Percent(retrieval.TextToImage.R1), Percent(retrieval.TextToImage.R5), Percent(retrieval.TextToImage.R10));
            AnsiConsole.Write(table);
        }
    }

    private static string Percent(double fraction) => $"{100 * fraction:F1}%";

    private static string Gflops(double gflops) => gflops >= 1e6 ? $"{gflops / 1e6:G4} PFLOPs" : gflops >= 1e3 ? $"{gflops / 1e3:G4} TFLOPs" : $"{gflops:G4} GFLOPs";
}
