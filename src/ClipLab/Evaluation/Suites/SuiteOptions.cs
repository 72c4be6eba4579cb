using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Benchmarks.Standard;

namespace ClipLab.Evaluation.Suites;

/// <summary>What one <see cref="SuiteEvaluator"/> run evaluates.</summary>
/// <param name="Suite">The suite's settings.</param>
/// <param name="Tasks">Tasks to run (others are skipped).</param>
public sealed record SuiteOptions(EvaluationSuite Suite, IReadOnlySet<EvaluationTask> Tasks)
{
    /// <summary>Every task.</summary>
    public static IReadOnlySet<EvaluationTask> AllTasks { get; } = new HashSet<EvaluationTask>(Enum.GetValues<EvaluationTask>());

    /// <summary>User benchmark files (<c>--benchmark</c>), evaluated after the built-in benchmarks.</summary>
    public IReadOnlyList<string> BenchmarkFiles { get; init; } = [];

    /// <summary>Standard benchmarks on disk (<c>--imagenet DIR</c>, <c>--coco FILE</c> …), evaluated after the built-in benchmarks.</summary>
    public IReadOnlyList<StandardBenchmarkSource> StandardBenchmarks { get; init; } = [];

    /// <summary>Prompt templates of the standard benchmarks: <c>clip</c> (80) or <c>best</c> (8).</summary>
    public string TemplateSet { get; init; } = "clip";

    /// <summary>Folder of the emoji shards; null for <see cref="EmojiBenchmark.DefaultFolder"/>.</summary>
    public string? EmojiFolder { get; init; }

    /// <summary>Disk folder of the feature cache (normally inside the checkpoint folder); null to cache in memory only.</summary>
    public string? FeatureCacheDirectory { get; init; }

    /// <summary>Stops the evaluation between image sets and tasks (<see cref="OperationCanceledException"/>); features already cached on disk are kept.</summary>
    public CancellationToken Cancellation { get; init; }
}
