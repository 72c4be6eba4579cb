using System.CommandLine;
using System.Globalization;
using ClipLab.Cli.Rendering;
using ClipLab.Corpus;
using ClipLab.Data;
using ClipLab.Data.Quality;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Runtime;
using ClipLab.Training;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab data …</c>: package data as WebDataset shards, score pairs with a model, keep the best-scoring subset.</summary>
internal static class DataCommand
{
    // A redirected console prints every status update as a line: keep logs short there.
    private static readonly int ProgressEvery = Console.IsOutputRedirected ? 10_000 : 500;

    public static Command Create()
    {
        var command = new Command("data", "Package image–text data as WebDataset shards; score pairs and filter by score.")
        {
            CreateShards(), CreateImport(), CreateCorpus(), CreateScore(), CreateFilter(),
        };
        return command;
    }

    private static Command CreateImport()
    {
        var name = new Argument<string>("name") { Description = $"Importer: {string.Join(", ", ImporterCatalog.Names)}." };
        var output = new Option<string>("--out") { Description = "Output folder for the shards and manifest.json.", Required = true };
        var perShard = new Option<int>("--per-shard") { Description = "Samples per shard.", DefaultValueFactory = _ => ShardWriter.DefaultPerShard };
        var command = new Command("import", "Turn a corpus installed as a Debian package into WebDataset shards.") { name, output, perShard };
        command.SetAction(parse =>
        {
            string importerName = parse.GetValue(name)!;
            var importer = ImporterCatalog.Create(importerName);
            var bad = ImportReport.NewCounter();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            ShardWriterResult result = null!;
            AnsiConsole.Status().Start($"Importing {importerName} ({ImporterCatalog.PackageOf(importerName)}) ...", ctx =>
            {
                long count = 0;
                var samples = importer.Read(bad).Select(s =>
                {
                    if (++count % ProgressEvery == 0) ctx.Status($"Importing {importerName}: {count:N0} of ~{importer.ExpectedCount:N0} ...");
                    return s;
                });
                result = ShardWriter.WriteAll(samples, parse.GetValue(output)!, importerName, parse.GetValue(perShard));
            });
            ShowImport(ImportReport.From(importerName, bad, watch.Elapsed), result);
            return 0;
        });
        return command;
    }

    private static Command CreateCorpus()
    {
        var output = new Option<string>("--out") { Description = "Output folder: train/ and heldout/ shard sets.", Required = true };
        var perShard = new Option<int>("--per-shard") { Description = "Samples per shard.", DefaultValueFactory = _ => ShardWriter.DefaultPerShard };
        var command = new Command("corpus", "Build the default mixed corpus (Open Clip Art, Tux Paint, emoji, Fashion-MNIST train) with a fixed held-out split.")
        {
            output, perShard,
        };
        command.SetAction(parse =>
        {
            string root = parse.GetValue(output)!;
            var corpus = CorpusBuilder.CreateDefault();
            using var train = new ShardWriter(Path.Combine(root, "train"), "train", parse.GetValue(perShard));
            using var heldOut = new ShardWriter(Path.Combine(root, "heldout"), "heldout", parse.GetValue(perShard));
            AnsiConsole.Status().Start("Building the mixed corpus ...", ctx =>
            {
                long count = 0;
                foreach (var sample in corpus.Read())
                {
                    (sample.Split == CorpusSplit.Train ? train : heldOut).Write(sample.Sample);
                    if (++count % ProgressEvery == 0) ctx.Status($"Building the mixed corpus: {count:N0} of ~{corpus.ExpectedCount:N0} ...");
                }
            });
            var trainResult = train.Finish();
            var heldOutResult = heldOut.Finish();
            foreach (var report in corpus.Reports) AnsiConsole.MarkupLine(Markup.Escape(report.ToString()));
            AnsiConsole.MarkupLine($"Train: [bold]{trainResult.Manifest.TotalSamples:N0}[/] samples, [blue]{Markup.Escape(trainResult.Pattern)}[/]");
            AnsiConsole.MarkupLine($"Held out: [bold]{heldOutResult.Manifest.TotalSamples:N0}[/] samples, [blue]{Markup.Escape(heldOutResult.Pattern)}[/]");
            return 0;
        });
        return command;
    }

    private static void ShowImport(ImportReport report, ShardWriterResult result)
    {
        AnsiConsole.MarkupLine(Markup.Escape(report.ToString()));
        AnsiConsole.MarkupLine($"Wrote [bold]{result.Manifest.TotalSamples:N0}[/] samples in {result.ShardPaths.Count} shard(s): [blue]{Markup.Escape(result.Pattern)}[/]");
    }

    private static Command CreateShards()
    {
        var from = new Option<string>("--from") { Description = $"Source: {SourceSpec.Forms}.", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder for the shards and manifest.json.", Required = true };
        var perShard = new Option<int>("--per-shard") { Description = "Samples per shard.", DefaultValueFactory = _ => ShardWriter.DefaultPerShard };
        var prefix = new Option<string>("--prefix") { Description = "Shard file prefix.", DefaultValueFactory = _ => "shard" };
        var imageKey = new Option<string>("--csv-img-key") { Description = "CSV column of image paths.", DefaultValueFactory = _ => "filepath" };
        var captionKey = new Option<string>("--csv-caption-key") { Description = "CSV column of captions.", DefaultValueFactory = _ => "title" };
        var separator = new Option<string?>("--csv-separator") { Description = "CSV separator (default: ',' for .csv, tab for .tsv)." };
        var command = new Command("shards", "Write any source as WebDataset shards plus a manifest (counts, bytes, sha256).")
        {
            from, output, perShard, prefix, imageKey, captionKey, separator,
        };
        command.SetAction(parse =>
        {
            string? sep = parse.GetValue(separator);
            if (sep is { Length: not 1 } && sep != "\\t") throw new ArgumentException($"--csv-separator must be one character, got '{sep}'");
            var source = SourceSpec.Open(parse.GetValue(from)!, parse.GetValue(imageKey)!, parse.GetValue(captionKey)!,
                sep is null ? null : sep == "\\t" ? '\t' : sep[0]);
            WriteShards(source, parse.GetValue(output)!, parse.GetValue(prefix)!, parse.GetValue(perShard));
            return 0;
        });
        return command;
    }

    /// <summary>Streams a whole source into shards with a live count, then reports what was skipped.</summary>
    internal static ShardWriterResult WriteShards(ISampleSource source, string output, string prefix, int perShard)
    {
        var bad = new BadSampleCounter(maxBadFraction: 1.0); // conversion reports bad samples, it never stops for them
        ShardWriterResult result = null!;
        AnsiConsole.Status().Start($"Writing {Markup.Escape(source.Name)} to shards ...", ctx =>
        {
            long written = 0;
            var samples = source.Read(SourcePartition.All, epoch: 0, seed: 0, bad).Select(s =>
            {
                if (++written % ProgressEvery == 0) ctx.Status($"Writing {Markup.Escape(source.Name)}: {written:N0} samples ...");
                return s;
            });
            result = ShardWriter.WriteAll(samples, output, prefix, perShard);
        });
        AnsiConsole.MarkupLine($"Wrote [bold]{result.Manifest.TotalSamples:N0}[/] samples in {result.ShardPaths.Count} shard(s): [blue]{Markup.Escape(result.Pattern)}[/]");
        AnsiConsole.MarkupLine($"Manifest: [blue]{Markup.Escape(result.ManifestPath)}[/]; skipped: {Markup.Escape(bad.Summary())}");
        return result;
    }

    private static Command CreateScore()
    {
        var model = new Option<string>("--model") { Description = "The scorer: a ClipLab run folder (its latest checkpoint is used) or a checkpoints/step-* folder.", Required = true };
        var data = new Option<string>("--data")
        {
            Description = "Pairs to score: WebDataset shards (a .tar path, brace pattern or '::' list; resumable shard by shard), or any other `data shards --from` source.",
            Required = true,
        };
        var output = new Option<string>("--out") { Description = "Parquet file to write: key, shard, score (image–text cosine similarity), caption.", Required = true };
        var batchSize = new Option<int>("--batch-size") { Description = "Pairs per forward pass.", DefaultValueFactory = _ => PairScorer.DefaultBatchSize };
        var command = new Command("score", "Score every image–text pair by the cosine similarity of its embeddings under a trained model. " +
            "Resumable: rerun the same command after an interruption.") { model, data, output, batchSize };
        var runtime = new RuntimeOptions();
        command.Options.Add(runtime.Device);
        command.SetAction((parse, cancellation) => Task.FromResult(Score(parse.GetValue(model)!, parse.GetValue(data)!, parse.GetValue(output)!,
            parse.GetValue(batchSize), runtime.DeviceOr(parse, ComputeDevice.Cpu), cancellation)));
        return command;
    }

    private static int Score(string modelPath, string dataSpec, string outPath, int batchSize, string deviceSpec, CancellationToken cancellation)
    {
        var device = ComputeDevice.Open(deviceSpec);
        if (batchSize < 1) throw new ArgumentException($"--batch-size must be at least 1, got {batchSize}");
        if (!Directory.Exists(modelPath))
            throw new DirectoryNotFoundException($"--model {modelPath}: no such folder. Pass a ClipLab run folder (written by `cliplab train` or " +
                "`cliplab demo`) or one of its checkpoints/step-* folders; docs/data.md (Data quality) shows how to get a scorer.");
        if (Checkpoint.FindLatest(modelPath) is null)
            throw new FileNotFoundException($"--model {modelPath} holds no checkpoint. Pass a run folder that `cliplab train` or `cliplab demo` " +
                "has saved a checkpoint in (its checkpoints/ folder), or one of its checkpoints/step-* folders.");
        var plan = ScoringPlan.Open(dataSpec); // before loading the model: a wrong pattern fails at once
        var (_, tokenizer, model, folder) = Checkpoint.LoadTrained(modelPath);
        using (model)
        {
            ModelPlacement.PrepareForInference(model, device, Precision.Fp32);
            long step = Checkpoint.LoadState(folder).Step;
            var scorer = new PairScorer(model, tokenizer, $"{Path.GetFullPath(folder)} (step {step})", batchSize);
            string expected = plan.ExpectedSamples is { } n ? $" ({n:N0} samples)" : "";
            AnsiConsole.MarkupLine($"Scoring {plan.Parts.Count:N0} part(s){expected} with [blue]{Markup.Escape(folder)}[/] (step {step}); " +
                $"images: {Markup.Escape(scorer.Pipeline.Spec)}");
            ScoringSummary summary;
            try
            {
                summary = ScoringProgressView.Run("Scoring", progress => scorer.Score(plan, outPath, progress, cancellation));
            }
            catch (OperationCanceledException)
            {
                var parts = new ScorePartsFolder(outPath);
                int saved = parts.Exists ? Directory.GetFiles(parts.FolderPath, "part-*.parquet").Length : 0;
                Console.Error.WriteLine($"Stopped. {saved} of {plan.Parts.Count} part(s) are saved in {parts.FolderPath}; run the same command again to continue.");
                return 130; // the caller reports the signal's own exit code (143 for SIGTERM)
            }
            ShowScoring(summary);
        }
        return 0;
    }

    private static void ShowScoring(ScoringSummary summary)
    {
        var pairs = summary.Scores.Pairs;
        if (summary.AlreadyComplete)
            AnsiConsole.MarkupLine($"[blue]{Markup.Escape(summary.OutputPath)}[/] already holds these scores (same model, data and settings): nothing to do.");
        else
        {
            double rate = summary.ScoredThisRun / Math.Max(1e-3, summary.Elapsed.TotalSeconds);
            AnsiConsole.MarkupLine($"Scored [bold]{summary.ScoredThisRun:N0}[/] pairs in {summary.Elapsed.TotalSeconds:F1} s ({rate:F0} pairs/s)" +
                (summary.PartsResumed > 0 ? $"; {summary.PartsResumed} of {summary.Parts} part(s) resumed from an earlier run" : "") + ".");
            AnsiConsole.MarkupLine($"Wrote [bold]{pairs.Count:N0}[/] scores: [blue]{Markup.Escape(summary.OutputPath)}[/]");
        }
        AnsiConsole.MarkupLine($"Skipped: {Markup.Escape(summary.SkippedSummary)}");
        var sorted = pairs.Select(p => p.Score).Where(s => !float.IsNaN(s)).Order().ToArray();
        if (sorted.Length > 0)
        {
            string At(double q) => sorted[(int)Math.Round(q * (sorted.Length - 1))].ToString("F4", CultureInfo.InvariantCulture);
            AnsiConsole.MarkupLine($"Scores: min {At(0)} · 10% {At(0.1)} · median {At(0.5)} · 90% {At(0.9)} · max {At(1)}");
        }
    }

    private static Command CreateFilter()
    {
        var scores = new Option<string>("--scores") { Description = "Score file written by `cliplab data score`.", Required = true };
        var keepTop = new Option<string?>("--keep-top") { Description = "Keep this fraction of the pairs with the highest scores: 0.4 (or 40%) keeps the top 40%." };
        var minScore = new Option<float?>("--min-score") { Description = "Threshold mode: keep every pair whose score is at least S." };
        var output = new Option<string>("--out") { Description = "New folder for the subset's shards, manifest.json and selection.json.", Required = true };
        var perShard = new Option<int>("--per-shard") { Description = "Samples per shard.", DefaultValueFactory = _ => ShardWriter.DefaultPerShard };
        var prefix = new Option<string>("--prefix") { Description = "Shard file prefix.", DefaultValueFactory = _ => "shard" };
        var command = new Command("filter", "Write the best-scoring pairs (top fraction, or all above a threshold) as new shards, members copied unchanged.")
        {
            scores, keepTop, minScore, output, perShard, prefix,
        };
        command.SetAction(parse => Filter(parse.GetValue(scores)!, parse.GetValue(keepTop), parse.GetValue(minScore), parse.GetValue(output)!,
            parse.GetValue(prefix)!, parse.GetValue(perShard)));
        return command;
    }

    private static int Filter(string scoresPath, string? keepTop, float? minScore, string output, string prefix, int perShard)
    {
        if (keepTop is not null && minScore is not null)
            throw new ArgumentException("give either --keep-top FRACTION (the top x% by score) or --min-score S (every pair scoring at least S), not both");
        if (keepTop is null && minScore is null)
            throw new ArgumentException("data filter needs --keep-top FRACTION (e.g. --keep-top 0.4 keeps the top 40% by score) or --min-score S (threshold mode)");
        double? fraction = keepTop is null ? null : ParseFraction(keepTop);
        if (minScore is float s && float.IsNaN(s)) throw new ArgumentException("--min-score must be a number; cosine similarities lie in [-1, 1]");
        var file = ScoreFile.Read(scoresPath);
        var selection = fraction is double f ? QualitySelection.KeepTop(file.Pairs, f) : QualitySelection.KeepAtLeast(file.Pairs, minScore!.Value);
        string percent = selection.Total == 0 ? "0" : (100.0 * selection.Rows.Count / selection.Total).ToString("F1", CultureInfo.InvariantCulture);
        string cut = float.IsNaN(selection.Cut) ? "none (nothing kept)" : selection.Cut.ToString("F4", CultureInfo.InvariantCulture);
        AnsiConsole.MarkupLine($"Kept [bold]{selection.Rows.Count:N0}[/] of {selection.Total:N0} scored pairs ({percent}%), {Markup.Escape(selection.Rule)}; score cut: {cut}" +
            (fraction is null ? "" : " (the lowest kept score)"));
        if (selection.TiedLeftOut > 0)
            AnsiConsole.MarkupLine($"{selection.TiedLeftOut:N0} pair(s) scoring exactly the cut were left out: ties go to the pair that comes first in the data.");
        QualityFilterResult result = null!;
        AnsiConsole.Status().Start("Copying the kept samples ...", ctx =>
        {
            int read = 0;
            result = QualityFilter.Write(file, selection, output, Path.GetFullPath(scoresPath), prefix, perShard,
                shard => ctx.Status($"Copying the kept samples: {++read:N0} shard(s) read ..."));
        });
        var shards = result.Shards;
        AnsiConsole.MarkupLine($"Wrote [bold]{shards.Manifest.TotalSamples:N0}[/] samples in {shards.ShardPaths.Count} shard(s): [blue]{Markup.Escape(shards.Pattern)}[/]");
        AnsiConsole.MarkupLine($"Manifest: [blue]{Markup.Escape(shards.ManifestPath)}[/]; selection: [blue]{Markup.Escape(result.SelectionPath)}[/]");
        return 0;
    }

    /// <summary>"0.4" or "40%" → 0.4; anything else is refused with the form to use.</summary>
    private static double ParseFraction(string text)
    {
        string trimmed = text.Trim();
        bool percent = trimmed.EndsWith('%');
        if (!double.TryParse(percent ? trimmed[..^1] : trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value))
            throw new ArgumentException($"--keep-top '{text}' is not a number: give a fraction in (0, 1] such as 0.4, or a percentage such as 40%");
        double fraction = percent ? value / 100 : value;
        if (fraction > 1 && fraction <= 100 && !percent)
            throw new ArgumentException($"--keep-top {text} is not a fraction in (0, 1]: for the top {text}% pass --keep-top {(value / 100).ToString(CultureInfo.InvariantCulture)} (or {text}%)");
        if (!(fraction > 0 && fraction <= 1))
            throw new ArgumentException($"--keep-top {text} is out of range: give a fraction in (0, 1] such as 0.4 (the top 40%), or a percentage such as 40%");
        return fraction;
    }
}
