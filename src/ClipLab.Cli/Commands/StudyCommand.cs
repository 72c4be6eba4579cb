using System.CommandLine;
using System.Globalization;
using ClipLab.Cli.Rendering;
using ClipLab.Configuration;
using ClipLab.Studies;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab study …</c>: run the paper's experiments (or your own) as grids of ordinary runs, with a results store.</summary>
internal static class StudyCommand
{
    public static Command Create() => new("study", "Run a study (a grid of training runs, e.g. the paper's data-quality experiment) and keep its results in a store.")
    {
        CreateRun(), CreatePlan(), CreateMerge(), CreateList(), CreateShow(), CreateExport(),
        StudyReportCommand.Create(new StudyStoreResults()),
    };

    private static Argument<string> StudyArgument() => new("study") { Description = "A shipped study's name (see `cliplab study list`) or a study JSON file." };

    private static Option<string> ScaleOption() => new("--scale")
    {
        Description = "cpu (finishes on a small CPU machine with local data) or paper (the paper's settings, for GPU clusters).",
        DefaultValueFactory = _ => "cpu",
    };

    private static Command CreateRun()
    {
        var study = StudyArgument();
        var scale = ScaleOption();
        var output = new Option<string>("--out") { Description = "Study folder: runs/<run-id>/ folders and the results store study.db.", Required = true };
        var jobs = new Option<int>("--jobs") { Description = "Runs trained at once, each in its own process with its share of the cores.", DefaultValueFactory = _ => 1 };
        var shard = new Option<string?>("--shard") { Description = "Run only slice i of n of the grid (e.g. 2/4), for clusters; merge the slices with `cliplab study merge`." };
        var threads = new Option<int?>("--threads") { Description = "libtorch threads per run (default: the cores divided by --jobs)." };
        var only = new Option<string[]>("--only") { Description = "Run only these run ids (repeatable).", Arity = ArgumentArity.OneOrMore };
        var progressLines = new Option<bool>("--progress-lines") { Description = "Print machine-readable progress lines (used by --jobs for its child processes).", Hidden = true };
        var parentPid = new Option<int?>("--parent-pid") { Description = "Stop (keeping a checkpoint) when this process is no longer the parent (used by --jobs for its child processes).", Hidden = true };
        var command = new Command("run", "Run a study's grid; resumable: the same command again finishes interrupted runs and skips finished ones.")
            { study, scale, output, jobs, shard, threads, only, progressLines, parentPid };
        var runtime = new RuntimeOptions();
        runtime.AddTo(command);
        command.SetAction((parse, cancellation) =>
        {
            // A child of --jobs also stops when its parent is killed outright (see ParentProcessWatch).
            using var watch = parse.GetValue(parentPid) is int pid && !OperatingSystem.IsWindows() ? new ParentProcessWatch(pid) : null;
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation, watch?.Token ?? CancellationToken.None);
            return Task.FromResult(Run(parse, parse.GetValue(study)!, parse.GetValue(scale)!, parse.GetValue(output)!, parse.GetValue(jobs),
                parse.GetValue(shard), parse.GetValue(threads), parse.GetValue(only), parse.GetValue(progressLines), runtime, stop.Token));
        });
        return command;
    }

    private static int Run(ParseResult parse, string studyName, string scale, string output, int jobs, string? shardText, int? threads,
        string[]? only, bool progressLines, RuntimeOptions runtime, CancellationToken cancellation)
    {
        if (jobs < 1) throw new ConfigException("--jobs", jobs, "a positive number of runs to train at once");
        if (threads is < 1) throw new ConfigException("--threads", threads, "a positive number of libtorch threads per run");
        var definition = StudyLoader.Load(studyName, scale);
        var shard = shardText is null ? null : StudyShard.Parse(shardText);
        int perRun = threads ?? Math.Max(1, Environment.ProcessorCount / jobs);
        RunConfig Adjust(RunConfig c) => runtime.ApplyTo(c, parse) with { Training = runtime.ApplyTo(c, parse).Training with { Threads = perRun } };
        var options = new StudyRunOptions
        {
            Shard = shard, Jobs = jobs, Adjust = Adjust,
            Only = only is { Length: > 0 } ? new HashSet<string>(only, StringComparer.Ordinal) : null,
        };
        if (options.Only is not null && options.Only.FirstOrDefault(id => definition.Runs.All(r => r.RunId != id)) is { } unknown)
            throw new ConfigException($"--only {unknown}: no such run in study {definition.Name}; `cliplab study show {studyName} --scale {scale}` lists them.");
        var runner = new StudyRunner(definition, output, options);
        string folder = Path.GetFullPath(output);
        IStudyRunExecutor executor = jobs > 1
            ? new ChildProcessRunExecutor(definition, folder, scale, perRun, parse.GetValue(runtime.Device), parse.GetValue(runtime.Precision))
            : new InProcessRunExecutor(definition, Adjust); // the trainer's log lines would break the live view; each run has its metrics.jsonl
        if (!progressLines)
            AnsiConsole.MarkupLine($"Study [bold]{Markup.Escape(definition.Name)}[/] at scale {scale}: {definition.Runs.Count} runs" +
                (shard is null ? "" : $", shard {shard} ({runner.Runs.Count} runs)") + $", {jobs} at a time, {perRun} thread(s) each; folder [blue]{Markup.Escape(folder)}[/]");
        bool complete = progressLines
            ? runner.Run(executor, ProgressLines.Write, null, cancellation)
            : new StudyProgressView(jobs).Run(onEvent => runner.Run(executor, onEvent, null, cancellation));
        if (!complete)
        {
            Console.Error.WriteLine($"Interrupted: finished runs are in {Path.Combine(folder, StudyStore.FileName)}, unfinished ones keep their checkpoints. " +
                $"Continue with the same command: ./cliplab study run {studyName} --scale {scale} --out {output}" + (shard is null ? "" : $" --shard {shard}"));
            return 130;
        }
        if (!progressLines)
            AnsiConsole.MarkupLine($"All {runner.Runs.Count} runs finished. Results: [blue]{Markup.Escape(Path.Combine(folder, StudyStore.FileName))}[/] " +
                $"(sqlite3; `cliplab study show {Markup.Escape(output)}`, `cliplab study export {Markup.Escape(output)} --csv FILE`).");
        return 0;
    }

    private static Command CreatePlan()
    {
        var study = StudyArgument();
        var scale = ScaleOption();
        var slurm = new Option<bool>("--slurm") { Description = "Write a Slurm job-array script (one array task per shard)." };
        var shards = new Option<int?>("--shards") { Description = "Array tasks for --slurm (default: one per run)." };
        var output = new Option<string?>("--out") { Description = "With --slurm: the study folder on the cluster (default: studies/<name>-<scale>)." };
        var script = new Option<string?>("--script") { Description = "With --slurm: the script file to write (default: <name>-<scale>.slurm)." };
        var device = new Option<string>("--device") { Description = "With --slurm: the device each task trains on.", DefaultValueFactory = _ => "cuda" };
        var command = new Command("plan", "List the runs a study would train (validating it), or write a Slurm job-array script for it.")
            { study, scale, slurm, shards, output, script, device };
        command.SetAction(parse =>
        {
            var definition = StudyLoader.Load(parse.GetValue(study)!, parse.GetValue(scale)!, checkData: false); // the data may live on the cluster only
            if (!parse.GetValue(slurm))
            {
                ShowPlan(definition);
                return 0;
            }
            int n = parse.GetValue(shards) ?? definition.Runs.Count;
            if (n < 1) throw new ConfigException("--shards", n, "a positive number of array tasks");
            string folder = parse.GetValue(output) ?? $"studies/{definition.Name}-{definition.Scale}";
            string path = parse.GetValue(script) ?? $"{definition.Name}-{definition.Scale}.slurm";
            ClipLab.IO.AtomicFile.WriteAllText(path, SlurmScript.Write(definition, n, folder, device: parse.GetValue(device)!));
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(path)}[/]: {Math.Min(n, definition.Runs.Count)} array tasks for {definition.Runs.Count} runs. " +
                $"Submit with sbatch {Markup.Escape(path)}; then `cliplab study merge {Markup.Escape(folder)}/merged {Markup.Escape(folder)}/shard-*`.");
            return 0;
        });
        return command;
    }

    private static void ShowPlan(StudyDefinition definition)
    {
        AnsiConsole.MarkupLine($"Study [bold]{Markup.Escape(definition.Name)}[/] at scale {definition.Scale}: {definition.Runs.Count} runs. {Markup.Escape(definition.Description)}");
        var table = new Table().RoundedBorder().AddColumn("run id");
        var axes = definition.Runs.SelectMany(r => r.Axes.Keys).Distinct().ToList();
        foreach (string axis in axes) table.AddColumn(Markup.Escape(axis));
        table.AddColumn("seed").AddColumn(new TableColumn("budget").RightAligned());
        foreach (var run in definition.Runs)
        {
            var t = run.Config.Training;
            string budget = t.Epochs is double e ? $"{e:G4} epoch(s)" : t.BudgetGflops is double g ? $"{g:G4} GFLOPs" : $"{t.SamplesSeen:N0} samples";
            table.AddRow([Markup.Escape(run.RunId), .. axes.Select(a => Markup.Escape(run.Axes.TryGetValue(a, out var v) ? v : "")),
                run.Seed.ToString(CultureInfo.InvariantCulture), budget]);
        }
        AnsiConsole.Write(table);
    }

    private static Command CreateMerge()
    {
        var target = new Argument<string>("target") { Description = "Study folder to merge into (created if needed)." };
        var sources = new Argument<string[]>("sources") { Description = "Study folders of the shards.", Arity = ArgumentArity.OneOrMore };
        var command = new Command("merge", "Combine the results stores of a study's shards into one.") { target, sources };
        command.SetAction(parse =>
        {
            using var store = StudyStore.Open(parse.GetValue(target)!);
            int rows = store.Merge(parse.GetValue(sources)!);
            AnsiConsole.MarkupLine($"Merged {rows} run(s); [blue]{Markup.Escape(store.Path)}[/] now holds {store.FinishedRunIds().Count}.");
            return 0;
        });
        return command;
    }

    private static Command CreateList()
    {
        var command = new Command("list", "List the shipped studies (the paper's six experiments).");
        command.SetAction(_ =>
        {
            var table = new Table().RoundedBorder().AddColumn("study").AddColumn("scales").AddColumn("claims").AddColumn("what it compares");
            foreach (string name in StudyLoader.ShippedNames)
            {
                var file = StudyLoader.ReadFile(name);
                table.AddRow(Markup.Escape(name), string.Join(", ", file.Scales.Defined.Keys), Markup.Escape(string.Join(", ", file.Claims)), Markup.Escape(file.Description));
            }
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    private static Command CreateShow()
    {
        var folderOrStudy = new Argument<string>("target") { Description = "A study folder (shows its results) or a study name/file (shows its plan)." };
        var scale = ScaleOption();
        var metric = new Option<string[]>("--metric")
        {
            Description = "Metrics to show (default: fashion-mnist/zeroshot/top1 and the retrieval R@1s).", Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("show", "Show a study folder's finished runs, or a study's plan.") { folderOrStudy, scale, metric };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(folderOrStudy)!;
            if (!Directory.Exists(target))
            {
                ShowPlan(StudyLoader.Load(target, parse.GetValue(scale)!, checkData: false));
                return 0;
            }
            using var store = StudyStore.OpenExisting(target);
            var table = StudyTable.From(store.Records());
            var metrics = parse.GetValue(metric) is { Length: > 0 } chosen ? chosen
                : table.MetricColumns.Where(m => m.EndsWith("/zeroshot/top1", StringComparison.Ordinal) || m.EndsWith("_r1", StringComparison.Ordinal)).ToArray();
            var view = new Table().RoundedBorder().AddColumn("run id").AddColumn(new TableColumn("samples").RightAligned()).AddColumn(new TableColumn("GFLOPs").RightAligned())
                .AddColumn(new TableColumn("wall s").RightAligned());
            foreach (string m in metrics) view.AddColumn(new TableColumn(Markup.Escape(m)).RightAligned());
            foreach (var r in table.Rows)
                view.AddRow([Markup.Escape(r.RunId), r.SamplesSeen.ToString("N0", CultureInfo.InvariantCulture), r.TotalGflops.ToString("G4", CultureInfo.InvariantCulture),
                    r.WallSeconds.ToString("F0", CultureInfo.InvariantCulture),
                    .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? v.ToString("F4", CultureInfo.InvariantCulture) : "")]);
            var (study, studyScale) = store.Identity;
            AnsiConsole.MarkupLine($"Study {Markup.Escape(study ?? "?")} at scale {Markup.Escape(studyScale ?? "?")}: {table.Rows.Count} finished run(s).");
            AnsiConsole.Write(view);
            return 0;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var folder = new Argument<string>("folder") { Description = "A study folder." };
        var csv = new Option<string?>("--csv") { Description = "Write the results table as CSV to this file." };
        var parquet = new Option<string?>("--parquet") { Description = "Write the results table as Parquet to this file." };
        var command = new Command("export", "Export a study's results store as one table (a row per run, a column per axis and metric).") { folder, csv, parquet };
        command.SetAction(parse =>
        {
            string? csvPath = parse.GetValue(csv), parquetPath = parse.GetValue(parquet);
            if (csvPath is null && parquetPath is null) throw new ArgumentException("study export needs --csv FILE and/or --parquet FILE.");
            using var store = StudyStore.OpenExisting(parse.GetValue(folder)!);
            var table = StudyTable.From(store.Records());
            if (csvPath is not null) table.WriteCsv(csvPath);
            if (parquetPath is not null) table.WriteParquet(parquetPath);
            AnsiConsole.MarkupLine($"Exported {table.Rows.Count} run(s) × {table.Columns.Count} columns" +
                (csvPath is null ? "" : $" to [blue]{Markup.Escape(csvPath)}[/]") + (parquetPath is null ? "" : $" to [blue]{Markup.Escape(parquetPath)}[/]") + ".");
            return 0;
        });
        return command;
    }
}
