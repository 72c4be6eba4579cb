using ClipLab.Evaluation.Evaluators;
using ClipLab.Evaluation.Suites;
using ClipLab.Text;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>What an <see cref="IBenchmarkProvider"/> builds benchmarks for.</summary>
/// <param name="Options">The run's suite and its sources (data root, emoji folder, standard benchmarks, benchmark files).</param>
/// <param name="Needs">What the selected evaluators run on, together.</param>
/// <param name="TestOnlyUsed">Whether a selected evaluator runs on test images alone (a benchmark without a training split is of use only then).</param>
/// <param name="ImageSize">The model's input size.</param>
/// <param name="Channels">The model's input channels.</param>
/// <param name="Tokenizer">The model's tokenizer.</param>
/// <param name="Log">Progress lines.</param>
public sealed record BenchmarkRequest(SuiteOptions Options, EvaluatorNeeds Needs, bool TestOnlyUsed, int ImageSize, int Channels, ClipTokenizer Tokenizer, TextWriter Log)
{
    /// <summary>The request of the evaluators <paramref name="evaluators"/>.</summary>
    public static BenchmarkRequest For(IReadOnlyList<IEvaluator> evaluators, SuiteOptions options, EvaluatedModel model, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(evaluators);
        ArgumentNullException.ThrowIfNull(model);
        var needs = evaluators.Aggregate(EvaluatorNeeds.None, (all, e) => all | e.Needs);
        bool testOnly = evaluators.Any(e => e.Needs.HasFlag(EvaluatorNeeds.TestImages) && !e.Needs.HasFlag(EvaluatorNeeds.TrainingImages));
        var vision = model.Network.Config.Vision;
        return new BenchmarkRequest(options, needs, testOnly, vision.ImageSize, vision.Channels, model.Tokenizer, log);
    }

    /// <summary>Whether a selected evaluator runs on <paramref name="need"/>.</summary>
    public bool Uses(EvaluatorNeeds need) => (Needs & need) != 0;
}
