using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// Zero-shot classification with a prompt-template ensemble on every classification benchmark, and on its shifted
/// test variants (benchmarks <c>{name}-{shift}</c>) with their average (<c>{name}-shifted-average</c>); ImageNet's
/// variants on disk (ImageNet-V2, -Sketch, -R, -A, ObjectNet) are averaged the same way as <c>imagenet-shifted-average</c>.
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
        var imageNetShifts = new List<ClassificationAccuracy>();
        bool imageNet = false;
        foreach (var benchmark in context.Benchmarks.Classification)
        {
            var accuracy = Evaluate(context, benchmark, table);
            imageNet |= benchmark.Name == ImageNet;
            if (ImageNetShifts.Contains(benchmark.Name)) imageNetShifts.Add(accuracy);
        }
        // The paper's "average over the ImageNet variants" (Fig 2b), beside ImageNet itself, named like Fashion-MNIST's.
        if (imageNet && imageNetShifts.Count > 0) AccuracyMetrics.PutAverage(table.For(ImageNet + ShiftedTestSet.AverageSuffix, TaskName), imageNetShifts);
        return new EvaluatorResult(table);
    }

    /// <summary>The benchmark of ImageNet-1k itself.</summary>
    public const string ImageNet = "imagenet";

    /// <summary>The standard benchmarks that are distribution shifts of ImageNet (ImageNet-Real is not read), averaged as <c>imagenet-shifted-average</c>.</summary>
    public static IReadOnlyList<string> ImageNetShifts { get; } = ["imagenet-v2", "imagenet-sketch", "imagenet-r", "imagenet-a", "objectnet"];

    private static ClassificationAccuracy Evaluate(EvaluationContext context, ClassificationBenchmark benchmark, MetricTable table)
    {
        var test = context.Features(benchmark.Test, $"{benchmark.Name}: test");
        var model = context.Model;
        using var classifier = ZeroShotClassification.BuildClassifier(model.Network, model.Tokenizer, benchmark.Prompts);
        var metrics = table.For(benchmark.Name, TaskName);
        var testAccuracy = ZeroShotClassification.Score(test.Features, classifier, test.Labels);
        AccuracyMetrics.Put(metrics, testAccuracy);
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
        return testAccuracy;
    }
}
