using System.CommandLine;
using ClipLab.Data;
using ClipLab.Data.Importers;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using Spectre.Console;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab data …</c>: package data as WebDataset shards.</summary>
internal static class DataCommand
{
    // A redirected console prints every status update as a line: keep logs short there.
    private static readonly int ProgressEvery = Console.IsOutputRedirected ? 10_000 : 500;

    public static Command Create()
    {
        var command = new Command("data", "Package image–text data as WebDataset shards.") { CreateShards(), CreateImport(), CreateCorpus() };
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
}
