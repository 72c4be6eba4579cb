using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// Zero-shot classification with a prompt-template ensemble on every classification benchmark, and on its shifted
/// test variants (benchmarks <c>{name}-{shift}</c>) with their average (<c>{name}-shifted-average</c>).
/// Metrics: <c>top1</c>, <c>top5</c>, <c>mean_per_class</c>, <c>images</c>, <c>classes</c>, <c>templates</c>.
/// </summary>
public sealed class ZeroShotEvaluator : IEvaluator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "zeroshot";

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = [];

    /// <inheritdoc />
    public EvaluatorNeeds Needs => EvaluatorNeeds.TestImages;

    /// <inheritdoc />
    public EvaluatorResult Run(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = new MetricTable();
        foreach (var benchmark in context.Benchmarks.Classification) Evaluate(context, benchmark, table);
        return new EvaluatorResult(table);
    }

    private static void Evaluate(EvaluationContext context, ClassificationBenchmark benchmark, MetricTable table)
    {
        var test = context.Features(benchmark.Test, $"{benchmark.Name}: test");
        var model = context.Model;
        using var classifier = ZeroShotClassification.BuildClassifier(model.Network, model.Tokenizer, benchmark.Prompts);
        var metrics = table.For(benchmark.Name, TaskName);
        AccuracyMetrics.Put(metrics, ZeroShotClassification.Score(test.Features, classifier, test.Labels));
        metrics["classes"] = benchmark.Classes;
        metrics["templates"] = benchmark.Prompts.Templates.Count;
        var shifted = new List<ClassificationAccuracy>();
        foreach (var shift in benchmark.Shifts)
        {
            var features = context.Features(shift.Images, $"{benchmark.Name}-{shift.Shift}: shifted test");
            var accuracy = ZeroShotClassification.Score(features.Features, classifier, features.Labels);
            AccuracyMetrics.Put(table.For($"{benchmark.Name}-{shift.Shift}", TaskName), accuracy);
            shifted.Add(accuracy);
        }
        if (shifted.Count > 0) AccuracyMetrics.PutAverage(table.For(benchmark.Name + ShiftedTestSet.AverageSuffix, TaskName), shifted);
    }
}
