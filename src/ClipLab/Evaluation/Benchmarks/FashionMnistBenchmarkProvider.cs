using ClipLab.Evaluation.Evaluators;
using ClipLab.Imaging.Shifts;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Provider <c>fashion-mnist</c>: the Fashion-MNIST test split (with its shifted variants when the suite asks for
/// <see cref="Suites.EvaluationSuite.Shifts"/>), its training images when an evaluator needs them, and retrieval
/// on held-out test images (see <see cref="FashionMnistBenchmark"/>).
/// </summary>
public sealed class FashionMnistBenchmarkProvider : IBenchmarkProvider
{
    /// <inheritdoc />
    public string Name => FashionMnistBenchmark.Name;

    /// <inheritdoc />
    public bool DrivenByOptions => false;

    /// <inheritdoc />
    public BenchmarkSet Provide(BenchmarkRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = request.Options;
        var suite = options.Suite;
        var set = BenchmarkSet.Empty;
        if (request.Uses(EvaluatorNeeds.TestImages))
        {
            set = BenchmarkSet.Of(FashionMnistBenchmark.Create(options.DataRoot, request.ImageSize, options.Settings.PromptSet,
                request.Uses(EvaluatorNeeds.TrainingImages) ? suite.FashionMnistTrainImages : 0,
                suite.Shifts ? DistributionShiftRegistry.Shifts : []));
        }
        if (request.Uses(EvaluatorNeeds.RetrievalPairs))
            set = set.Then(BenchmarkSet.Of(FashionMnistBenchmark.Retrieval(options.DataRoot, request.Tokenizer, request.ImageSize, options.Settings)));
        return set;
    }
}
