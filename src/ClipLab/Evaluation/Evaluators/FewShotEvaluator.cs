using ClipLab.Evaluation.Probes;
using ClipLab.Evaluation.Suites;

namespace ClipLab.Evaluation.Evaluators;

/// <summary>
/// k-shot closed-form ridge regression on frozen features of every benchmark with a training split, for each of
/// <see cref="EvaluationSuite.Shots"/> averaged over <see cref="EvaluationSuite.FewShotSeeds"/> seeds. Tasks
/// <c>fewshot_{k}</c>; metrics <c>top1</c>, <c>top1_std</c>, <c>seeds</c>, <c>l2</c>.
/// </summary>
public sealed class FewShotEvaluator : IEvaluator
{
    /// <summary>The task name (the report's tasks are <c>fewshot_{k}</c>).</summary>
    public const string TaskName = "fewshot";

    /// <inheritdoc />
    public string Name => TaskName;

    /// <inheritdoc />
    public IReadOnlyList<string> Aliases { get; } = ["few-shot"];

    /// <inheritdoc />
    public EvaluatorNeeds Needs => EvaluatorNeeds.TestImages | EvaluatorNeeds.TrainingImages;

    /// <inheritdoc />
    public EvaluatorResult Run(EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var table = new MetricTable();
        var suite = context.Suite;
        foreach (var benchmark in context.Benchmarks.Classification)
        {
            if (benchmark.Train is null) continue;
            var train = context.Features(benchmark.Train, $"{benchmark.Name}: training");
            var test = context.Features(benchmark.Test, $"{benchmark.Name}: test");
            context.Cancellation.ThrowIfCancellationRequested();
            context.Log.WriteLine($"{benchmark.Name}: few-shot ridge regression, {string.Join("/", suite.Shots)} shots × {suite.FewShotSeeds} seeds ...");
            foreach (var result in FewShotEvaluation.Run(train, test, benchmark.Classes, suite.Shots, suite.FewShotSeeds))
            {
                var metrics = table.For(benchmark.Name, $"{TaskName}_{result.Shots}");
                metrics["top1"] = result.Top1;
                metrics["top1_std"] = result.Top1Std;
                metrics["seeds"] = result.PerSeed.Count;
                metrics["l2"] = result.L2;
            }
        }
        return new EvaluatorResult(table);
    }
}
