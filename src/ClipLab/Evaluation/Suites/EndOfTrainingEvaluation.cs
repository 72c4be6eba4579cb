using ClipLab.Configuration;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Evaluators;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Evaluation.Suites;

/// <summary>
/// The evaluation that ends a training run (<c>results.json</c>): a suite of Fashion-MNIST alone, with zero-shot
/// classification of its 10,000 test images and retrieval on held-out test images, each as the run config's
/// <c>evaluation.zeroShot</c> and <c>evaluation.retrieval</c> ask.
/// </summary>
public static class EndOfTrainingEvaluation
{
    /// <summary>The suite: Fashion-MNIST, no shifted variants, no probe training images.</summary>
    public static EvaluationSuite Suite { get; } = new() { Name = "end-of-training", Benchmarks = [FashionMnistBenchmark.Name], FashionMnistTrainImages = 0 };

    /// <summary>What the end of a run with <paramref name="config"/> evaluates (features in memory only: the weights are new).</summary>
    public static SuiteOptions Options(RunConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var tasks = new List<string>();
        if (config.Evaluation.ZeroShot) tasks.Add(ZeroShotEvaluator.TaskName);
        if (config.Evaluation.Retrieval) tasks.Add(RetrievalEvaluator.TaskName);
        return new SuiteOptions(Suite, tasks) { FeatureCacheDirectory = null }.ForRun(config);
    }

    /// <summary>Evaluates the trained <paramref name="model"/> of a run with <paramref name="config"/>.</summary>
    public static SuiteReport Run(ClipModel model, ClipTokenizer tokenizer, RunConfig config, TextWriter? log = null) =>
        EvaluationSuiteRunner.Run(EvaluatedModel.Of(model, tokenizer, config), Options(config), cache: null, CancellationToken.None, log);
}
