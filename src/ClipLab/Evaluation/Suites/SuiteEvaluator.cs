using System.Diagnostics;
using ClipLab.Configuration;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Benchmarks.Standard;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Probes;
using ClipLab.Imaging.Shifts;
using ClipLab.Models;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Suites;

/// <summary>
/// Runs an <see cref="EvaluationSuite"/> on a model: builds the benchmarks (Fashion-MNIST and its shifted
/// variants, emoji when built, the user's files), computes each image set's features once through a
/// <see cref="FeatureCache"/>, and runs zero-shot, linear probe, few-shot and retrieval on them.
/// </summary>
/// <remarks>
/// Metric names (<c>benchmark/task/metric</c>): benchmarks are the benchmark names, <c>{name}-{shift}</c> for a
/// shifted test variant and <c>{name}-shifted-average</c> for the mean over the variants; tasks are
/// <c>zeroshot</c>, <c>linear_probe</c>, <c>fewshot_{k}</c> and <c>retrieval</c>. Leaves the model in eval mode.
/// </remarks>
public static class SuiteEvaluator
{
    /// <summary>Suffix of the benchmark holding the average over shifted variants.</summary>
    public const string ShiftedAverageSuffix = "-shifted-average";

    /// <summary>Evaluates <paramref name="model"/>.</summary>
    /// <param name="model">The model (left in eval mode).</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="config">The run config (data root, prompt set, retrieval and batch settings).</param>
    /// <param name="options">Suite, tasks, extra benchmarks, cache folder.</param>
    /// <param name="log">Progress lines.</param>
    /// <exception cref="OperationCanceledException"><see cref="SuiteOptions.Cancellation"/> fired; the features finished so far stay in the cache folder.</exception>
    public static SuiteReport Run(ClipModel model, ClipTokenizer tokenizer, RunConfig config, SuiteOptions options, TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        log ??= TextWriter.Null;
        var watch = Stopwatch.StartNew();
        var suite = options.Suite;
        var tasks = options.Tasks;
        bool probes = tasks.Contains(EvaluationTask.LinearProbe) || tasks.Contains(EvaluationTask.FewShot);
        int imageSize = model.Config.Vision.ImageSize, channels = model.Config.Vision.Channels;

        var classification = new List<ClassificationBenchmark>();
        var retrieval = new List<RetrievalBenchmark>();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        bool needsFashionMnist = suite.BuiltIn && (tasks.Contains(EvaluationTask.ZeroShot) || probes);
        if (needsFashionMnist)
        {
            classification.Add(FashionMnistBenchmark.Create(config.Data.Root, imageSize, config.Evaluation.PromptSet,
                probes ? suite.FashionMnistTrainImages : 0,
                suite.Shifts ? DistributionShiftRegistry.Shifts : []));
        }
        if (suite.BuiltIn && tasks.Contains(EvaluationTask.Retrieval))
            retrieval.Add(FashionMnistBenchmark.Retrieval(config.Data.Root, tokenizer, imageSize, config.Evaluation));
        if (suite.Emoji && tasks.Contains(EvaluationTask.ZeroShot))
        {
            string folder = options.EmojiFolder ?? EmojiBenchmark.DefaultFolder;
            if (EmojiBenchmark.TryCreate(folder, imageSize, channels, out string reason) is { } emoji)
            {
                classification.Add(emoji.Group);
                classification.Add(emoji.Subgroup);
            }
            else
            {
                skipped[EmojiBenchmark.GroupName] = reason;
                skipped[EmojiBenchmark.SubgroupName] = reason;
                log.WriteLine($"Skipping the emoji benchmarks: {reason}.");
            }
        }
        var given = options.StandardBenchmarks.Select(source => StandardBenchmarks.Load(source, imageSize, channels, options.TemplateSet))
            .Concat(options.BenchmarkFiles.Select(file => UserBenchmark.Load(file, imageSize, channels, tokenizer, options.TemplateSet)));
        foreach (var (userClassification, userRetrieval) in given)
        {
            if (userClassification is not null) classification.Add(userClassification);
            if (userRetrieval is not null && tasks.Contains(EvaluationTask.Retrieval)) retrieval.Add(userRetrieval);
        }
        // A user file named like a built-in benchmark would silently overwrite its results.
        foreach (var names in new[] { classification.Select(b => b.Name).ToList(), retrieval.Select(r => r.Name).ToList() })
            if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
                throw new ArgumentException($"two benchmarks share a name among {string.Join(", ", names)}; give each --benchmark file its own \"name\"");

        var results = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>(StringComparer.Ordinal);
        Dictionary<string, double> Metrics(string benchmark, string task)
        {
            if (!results.TryGetValue(benchmark, out var byTask)) results[benchmark] = byTask = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
            if (!byTask.TryGetValue(task, out var metrics)) byTask[task] = metrics = new Dictionary<string, double>(StringComparer.Ordinal);
            return metrics;
        }
        var sweeps = new Dictionary<string, IReadOnlyList<L2SweepPoint>>(StringComparer.Ordinal);

        using var cache = FeatureCache.ForModel(model, config.Evaluation.BatchSize, options.FeatureCacheDirectory, log);
        // Checked before each image set and task: an interrupted evaluation keeps every feature set it finished.
        var cancellation = options.Cancellation;
        foreach (var benchmark in classification)
        {
            log.WriteLine($"{benchmark.Name}: features of {benchmark.Test.Count:N0} test images ...");
            cancellation.ThrowIfCancellationRequested();
            var test = cache.Get(benchmark.Test);
            if (tasks.Contains(EvaluationTask.ZeroShot))
            {
                using var classifier = ZeroShotClassification.BuildClassifier(model, tokenizer, benchmark.Prompts);
                var zeroShot = Metrics(benchmark.Name, "zeroshot");
                Put(zeroShot, ZeroShotClassification.Score(test.Features, classifier, test.Labels));
                zeroShot["classes"] = benchmark.Classes;
                zeroShot["templates"] = benchmark.Prompts.Templates.Count;
                var shifted = new List<ClassificationAccuracy>();
                foreach (var shift in benchmark.Shifts)
                {
                    log.WriteLine($"{benchmark.Name}-{shift.Shift}: features of {shift.Images.Count:N0} shifted test images ...");
                    cancellation.ThrowIfCancellationRequested();
                    var features = cache.Get(shift.Images);
                    var accuracy = ZeroShotClassification.Score(features.Features, classifier, features.Labels);
                    Put(Metrics($"{benchmark.Name}-{shift.Shift}", "zeroshot"), accuracy);
                    shifted.Add(accuracy);
                }
                if (shifted.Count > 0) PutAverage(Metrics(benchmark.Name + ShiftedAverageSuffix, "zeroshot"), shifted);
            }
            if (benchmark.Train is null) continue;
            cancellation.ThrowIfCancellationRequested();
            if (probes) log.WriteLine($"{benchmark.Name}: features of {benchmark.Train.Count:N0} training images ...");
            var train = probes ? cache.Get(benchmark.Train) : null;
            if (tasks.Contains(EvaluationTask.LinearProbe))
            {
                var tests = new Dictionary<string, FeatureSet>(StringComparer.Ordinal) { [benchmark.Name] = test };
                foreach (var shift in benchmark.Shifts) tests[$"{benchmark.Name}-{shift.Shift}"] = cache.Get(shift.Images);
                cancellation.ThrowIfCancellationRequested();
                log.WriteLine($"{benchmark.Name}: linear probe (L2 sweep on a {suite.LinearProbe.ValidationFraction:P0} validation split) ...");
                var probe = LinearProbe.Run(train!, benchmark.Classes, tests, suite.LinearProbe);
                var main = Metrics(benchmark.Name, "linear_probe");
                Put(main, probe.Tests[benchmark.Name]);
                main["train_images"] = probe.TrainImages;
                main["l2"] = probe.L2;
                main["validation_top1"] = probe.ValidationTop1;
                main["iterations"] = probe.Iterations;
                main["converged"] = probe.Converged ? 1 : 0;
                sweeps[benchmark.Name] = probe.Sweep;
                var shifted = benchmark.Shifts.Select(s => probe.Tests[$"{benchmark.Name}-{s.Shift}"]).ToList();
                foreach (var shift in benchmark.Shifts) Put(Metrics($"{benchmark.Name}-{shift.Shift}", "linear_probe"), probe.Tests[$"{benchmark.Name}-{shift.Shift}"]);
                if (shifted.Count > 0) PutAverage(Metrics(benchmark.Name + ShiftedAverageSuffix, "linear_probe"), shifted);
            }
            if (tasks.Contains(EvaluationTask.FewShot))
            {
                cancellation.ThrowIfCancellationRequested();
                log.WriteLine($"{benchmark.Name}: few-shot ridge regression, {string.Join("/", suite.Shots)} shots × {suite.FewShotSeeds} seeds ...");
                foreach (var result in FewShotEvaluation.Run(train!, test, benchmark.Classes, suite.Shots, suite.FewShotSeeds))
                {
                    var metrics = Metrics(benchmark.Name, $"fewshot_{result.Shots}");
                    metrics["top1"] = result.Top1;
                    metrics["top1_std"] = result.Top1Std;
                    metrics["seeds"] = result.PerSeed.Count;
                    metrics["l2"] = result.L2;
                }
            }
        }

        foreach (var benchmark in retrieval)
        {
            cancellation.ThrowIfCancellationRequested();
            var pairs = benchmark.Load();
            log.WriteLine($"{benchmark.Name}: retrieval, {pairs.Images.Count:N0} images × {pairs.Captions.Count:N0} captions ...");
            var images = cache.Get(pairs.Images).Features;
            using var scope = torch.NewDisposeScope();
            var texts = EmbeddingExtractor.Texts(model, tokenizer.Encode(pairs.Captions), config.Evaluation.BatchSize);
            var result = Retrieval.Score(images, texts, pairs.CaptionImage);
            var metrics = Metrics(benchmark.Name, "retrieval");
            metrics["image_to_text_r1"] = result.ImageToText.R1;
            metrics["image_to_text_r5"] = result.ImageToText.R5;
            metrics["image_to_text_r10"] = result.ImageToText.R10;
            metrics["text_to_image_r1"] = result.TextToImage.R1;
            metrics["text_to_image_r5"] = result.TextToImage.R5;
            metrics["text_to_image_r10"] = result.TextToImage.R10;
            metrics["images"] = result.Images;
            metrics["texts"] = result.Texts;
        }

        var stats = cache.Statistics;
        var throughput = new EvaluationThroughput(stats.ImagesEncoded, stats.EncodeSeconds, stats.ImagesPerSecond, stats.ImagesFromDisk, stats.ImagesFromMemory);
        var taskNames = Enum.GetValues<EvaluationTask>().Where(tasks.Contains).Select(TaskName).ToArray();
        return new SuiteReport(SuiteReport.SchemaName, suite.Name, taskNames, config.ModelConfig is null ? config.Model : "custom", cache.ModelFingerprint,
            results, skipped, sweeps, throughput, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The task's name in reports and on the command line: <c>zeroshot</c>, <c>linear_probe</c>, <c>fewshot</c>, <c>retrieval</c>.</summary>
    public static string TaskName(EvaluationTask task) => task switch
    {
        EvaluationTask.ZeroShot => "zeroshot",
        EvaluationTask.LinearProbe => "linear_probe",
        EvaluationTask.FewShot => "fewshot",
        EvaluationTask.Retrieval => "retrieval",
        _ => throw new ArgumentOutOfRangeException(nameof(task)),
    };

    private static void Put(Dictionary<string, double> metrics, ClassificationAccuracy accuracy)
    {
        metrics["top1"] = accuracy.Top1;
        metrics["top5"] = accuracy.Top5;
        metrics["mean_per_class"] = accuracy.MeanPerClass;
        metrics["images"] = accuracy.Images;
    }

    private static void PutAverage(Dictionary<string, double> metrics, IReadOnlyList<ClassificationAccuracy> variants)
    {
        metrics["top1"] = variants.Average(a => a.Top1);
        metrics["top5"] = variants.Average(a => a.Top5);
        metrics["mean_per_class"] = variants.Average(a => a.MeanPerClass);
        metrics["variants"] = variants.Count;
    }
}
