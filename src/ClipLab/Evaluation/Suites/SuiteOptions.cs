using ClipLab.Configuration;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Benchmarks.Standard;
using ClipLab.Evaluation.Evaluators;

namespace ClipLab.Evaluation.Suites;

/// <summary>What one <see cref="EvaluationSuiteRunner"/> run evaluates.</summary>
/// <param name="Suite">The suite's settings.</param>
/// <param name="Tasks">Tasks to run, by <see cref="EvaluatorRegistry"/> name (older spellings accepted); others are skipped.</param>
public sealed record SuiteOptions(EvaluationSuite Suite, IReadOnlyCollection<string> Tasks)
{
    /// <summary>Every registered task.</summary>
    public static IReadOnlyList<string> AllTasks => EvaluatorRegistry.Names;

    /// <summary>Folder of the Fashion-MNIST IDX files; null for the Debian package's.</summary>
    public string? DataRoot { get; init; }

    /// <summary>Prompt set, retrieval held-out images and captions, and batch size (the run config's <c>evaluation</c> section).</summary>
    public EvaluationConfig Settings { get; init; } = new();

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

    /// <summary>These options with the data root and evaluation settings of <paramref name="config"/>.</summary>
    public SuiteOptions ForRun(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return this with { DataRoot = config.Data.Root, Settings = config.Evaluation };
    }
}
