using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Probes;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// Logistic-regression probe on frozen features of every benchmark with a training split, L2 chosen on a validation
/// split (<see cref="EvaluationSuite.LinearProbe"/>), tested in distribution and on each shifted variant (with their
/// average). Metrics: the accuracy metrics, and on the benchmark itself <c>train_images</c>, <c>l2</c>,
/// <c>validation_top1</c>, <c>iterations</c>, <c>converged</c>; the sweep goes to the report's <c>linear_probe_sweeps</c>.
/// </summary>
public sealed class LinearProbeEvaluator : IEvaluator
{
    /// <summary>The task name.</summary>
    public const string TaskName = "linear_probe";

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["linear-probe"];

    /// <inheritdoc />
    public EvaluatorNeeds Needs => EvaluatorNeeds.TestImages | EvaluatorNeeds.TrainingImages;

    /// <inheritdoc />
    public EvaluatorResult Run(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = new MetricTable();
        var sweeps = new Dictionary<string, IReadOnlyList<L2SweepPoint>>(StringComparer.Ordinal);
        foreach (var benchmark in context.Benchmarks.Classification)
            if (benchmark.Train is not null) sweeps[benchmark.Name] = Evaluate(context, benchmark, benchmark.Train, table);
        return new EvaluatorResult(table) { LinearProbeSweeps = sweeps };
    }

    private static IReadOnlyList<L2SweepPoint> Evaluate(EvaluationContext context, ClassificationBenchmark benchmark, LabeledImageSet trainImages, MetricTable table)
    {
        var train = context.Features(trainImages, $"{benchmark.Name}: training");
        var tests = new Dictionary<string, FeatureSet>(StringComparer.Ordinal) { [benchmark.Name] = context.Features(benchmark.Test, $"{benchmark.Name}: test") };
        foreach (var shift in benchmark.Shifts)
            tests[$"{benchmark.Name}-{shift.Shift}"] = context.Features(shift.Images, $"{benchmark.Name}-{shift.Shift}: shifted test");
        var options = context.Suite.LinearProbe;
        context.Cancellation.ThrowIfCancellationRequested();
        context.Log.WriteLine($"{benchmark.Name}: linear probe (L2 sweep on a {options.ValidationFraction:P0} validation split) ...");
        var probe = LinearProbe.Run(train, benchmark.Classes, tests, options);

        var main = table.For(benchmark.Name, TaskName);
        AccuracyMetrics.Put(main, probe.Tests[benchmark.Name]);
        main["train_images"] = probe.TrainImages;
        main["l2"] = probe.L2;
        main["validation_top1"] = probe.ValidationTop1;
        main["iterations"] = probe.Iterations;
        main["converged"] = probe.Converged ? 1 : 0;
        var shifted = new List<ClassificationAccuracy>();
        foreach (var shift in benchmark.Shifts)
        {
            var accuracy = probe.Tests[$"{benchmark.Name}-{shift.Shift}"];
            AccuracyMetrics.Put(table.For($"{benchmark.Name}-{shift.Shift}", TaskName), accuracy);
            shifted.Add(accuracy);
        }
        if (shifted.Count > 0) AccuracyMetrics.PutAverage(table.For(benchmark.Name + ShiftedTestSet.AverageSuffix, TaskName), shifted);
        return probe.Sweep;
    }
}
