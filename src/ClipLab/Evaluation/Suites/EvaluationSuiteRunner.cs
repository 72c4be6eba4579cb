using System.Diagnostics;
using ClipLab.Configuration;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Evaluators;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Probes;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Evaluation.Suites;

/// <summary>
/// Runs an evaluation suite on a model: asks the <see cref="BenchmarkRegistry"/> for the benchmarks the suite and
/// options name, then runs each selected <see cref="IEvaluator"/> of the <see cref="EvaluatorRegistry"/> over them,
/// sharing one <see cref="FeatureCache"/> so every image set is embedded once. The one road of evaluation:
/// <c>cliplab eval</c>, the periodic and the end-of-training evaluation of a run, and studies all come here.
/// </summary>
/// <remarks>
/// Metric names (<c>benchmark/task/metric</c>): benchmarks are the benchmark names, <c>{name}-{shift}</c> for a
/// shifted test variant and <c>{name}-shifted-average</c> for the mean over the variants; tasks are the evaluator
/// names (<c>zeroshot</c>, <c>linear_probe</c>, <c>fewshot_{k}</c>, <c>retrieval</c>). Leaves the model in eval mode.
/// </remarks>
public static class EvaluationSuiteRunner
{
    /// <summary>Suffix of the benchmark holding the average over shifted variants.</summary>
    public const string ShiftedAverageSuffix = ShiftedTestSet.AverageSuffix;

    /// <summary>Evaluates the model of a run: <paramref name="config"/> gives its name, the data root and the evaluation settings.</summary>
    /// <param name="model">The model (left in eval mode).</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="config">The run config (data root, prompt set, retrieval and batch settings, model name).</param>
    /// <param name="options">Suite, tasks, extra benchmarks, cache folder.</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="cancellation">Stops the evaluation between image sets and tasks; the features finished so far stay in the cache folder.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public static SuiteReport Run(ClipModel model, ClipTokenizer tokenizer, RunConfig config, SuiteOptions options, TextWriter? log = null,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Run(EvaluatedModel.Of(model, tokenizer, config), options.ForRun(config), cache: null, cancellation, log);
    }

    /// <summary>Evaluates <paramref name="model"/> with <paramref name="options"/>: the entry point for callers that evaluate many models.</summary>
    /// <param name="model">The model, its tokenizer and its name in the report.</param>
    /// <param name="options">Suite, tasks, benchmarks, data root and evaluation settings.</param>
    /// <param name="cache">
    /// Image features of this model's weights to use and fill; it stays the caller's (not disposed). Null: a cache is made
    /// for the run in <see cref="SuiteOptions.FeatureCacheDirectory"/> and disposed at the end. A cache made for other
    /// weights gives wrong results, so pass one only for the same weights (<see cref="FeatureCache.ForModel"/>).
    /// </param>
    /// <param name="cancellation">Stops the evaluation between image sets and tasks; the features finished so far stay in the cache folder.</param>
    /// <param name="log">Progress lines.</param>
    /// <returns>The report; its throughput counts what the cache did during this run only.</returns>
    /// <exception cref="ArgumentException">An unknown task or benchmark, or two benchmarks with one name.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public static SuiteReport Run(EvaluatedModel model, SuiteOptions options, FeatureCache? cache = null, CancellationToken cancellation = default,
        TextWriter? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        log ??= TextWriter.Null;
        var watch = Stopwatch.StartNew();
        var evaluators = EvaluatorRegistry.Resolve(options.Tasks);
        // Benchmarks first: a bad benchmark file fails before any weight is hashed or image embedded.
        var benchmarks = BenchmarkRegistry.Provide(BenchmarkRequest.For(evaluators, options, model, log));
        using var owned = cache is null ? FeatureCache.ForModel(model.Network, options.Settings.BatchSize, options.FeatureCacheDirectory, log) : null;
        var features = cache ?? owned!;
        var before = features.Statistics;
        var context = new EvaluationContext(model, features, options.Suite, benchmarks, options.Settings.BatchSize, log, cancellation);
        var metrics = new MetricTable();
        var sweeps = new Dictionary<string, IReadOnlyList<L2SweepPoint>>(StringComparer.Ordinal);
        foreach (var evaluator in evaluators)
        {
            cancellation.ThrowIfCancellationRequested();
            var result = evaluator.Run(context);
            metrics.Add(result.Metrics);
            foreach (var (benchmark, sweep) in result.LinearProbeSweeps) sweeps[benchmark] = sweep;
        }
        return new SuiteReport(SuiteReport.SchemaName, options.Suite.Name, evaluators.Select(e => e.Name).ToArray(), model.Name, features.ModelFingerprint,
            metrics.Benchmarks, benchmarks.Skipped, sweeps, Throughput(before, features.Statistics), watch.Elapsed.TotalSeconds);
    }

    private static EvaluationThroughput Throughput(FeatureCacheStatistics before, FeatureCacheStatistics after)
    {
        var run = new FeatureCacheStatistics(after.ImagesEncoded - before.ImagesEncoded, after.EncodeSeconds - before.EncodeSeconds,
            after.ImagesFromDisk - before.ImagesFromDisk, after.ImagesFromMemory - before.ImagesFromMemory);
        return new EvaluationThroughput(run.ImagesEncoded, run.EncodeSeconds, run.ImagesPerSecond, run.ImagesFromDisk, run.ImagesFromMemory);
    }
}
