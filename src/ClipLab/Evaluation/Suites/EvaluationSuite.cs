using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Probes;

namespace ClipLab.Evaluation.Suites;

/// <summary>
/// A named set of evaluation settings for <c>cliplab eval --suite</c>:
/// <list type="bullet">
/// <item><c>quick</c> — Fashion-MNIST only, no shifted variants: zero-shot on the 10,000 test images, linear
/// probe and few-shot with the first 10,000 training images, retrieval. Meant for frequent checks.</item>
/// <item><c>paper</c> — the paper's protocol on the benchmarks available here: zero-shot on Fashion-MNIST,
/// on its seven shifted variants and their average, and on emoji groups/subgroups when their shards exist;
/// linear probe on all 60,000 training images, tested in-distribution and on every shifted variant; few-shot
/// with 1/5/10/25 shots × 3 seeds; retrieval.</item>
/// <item><c>given</c> — only the benchmarks named on the command line or in benchmark files (no Fashion-MNIST),
/// with the quick suite's probe settings.</item>
/// </list>
/// </summary>
public sealed record EvaluationSuite
{
    /// <summary>Suite name.</summary>
    public required string Name { get; init; }

    /// <summary>Fashion-MNIST training images for the probes: null for all 60,000, else the first N.</summary>
    public int? FashionMnistTrainImages { get; init; }

    /// <summary>
    /// The built-in benchmarks it runs, by <see cref="BenchmarkRegistry"/> name (<c>fashion-mnist</c>, <c>emoji</c>);
    /// benchmarks given as options (standard formats, benchmark files) run in every suite.
    /// </summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = [FashionMnistBenchmark.Name];

    /// <summary>Evaluate on the shifted test variants (zero-shot and linear probe) and report their average.</summary>
    public bool Shifts { get; init; }

    /// <summary>Few-shot numbers of shots per class.</summary>
    public IReadOnlyList<int> Shots { get; init; } = FewShotEvaluation.DefaultShots;

    /// <summary>Few-shot seeds averaged over.</summary>
    public int FewShotSeeds { get; init; } = 3;

    /// <summary>Linear probe settings.</summary>
    public LinearProbeOptions LinearProbe { get; init; } = LinearProbeOptions.Default;

    /// <summary>The quick suite.</summary>
    public static EvaluationSuite Quick { get; } = new() { Name = "quick", FashionMnistTrainImages = 10_000 };

    /// <summary>The paper suite.</summary>
    public static EvaluationSuite Paper { get; } = new() { Name = "paper", FashionMnistTrainImages = null, Shifts = true, Benchmarks = [FashionMnistBenchmark.Name, "emoji"] };

    /// <summary>Only the given benchmarks.</summary>
    public static EvaluationSuite Given { get; } = new() { Name = "given", FashionMnistTrainImages = 0, Benchmarks = [] };

    /// <summary>The suite names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["quick", "paper", "given"];

    /// <summary>The suite named <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static EvaluationSuite Get(string name) => name switch
    {
        "quick" => Quick,
        "paper" => Paper,
        "given" => Given,
        _ => throw new ArgumentException($"unknown suite '{name}'. Valid suites: {string.Join(", ", Names)}"),
    };
}
