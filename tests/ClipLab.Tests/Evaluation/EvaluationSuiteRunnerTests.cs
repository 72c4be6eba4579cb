using ClipLab.Configuration;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Evaluators;
using ClipLab.Evaluation.Features;
using ClipLab.Evaluation.Suites;
using ClipLab.Imaging.Shifts;
using ClipLab.Models;
using ClipLab.Text;
using ClipLab.Training;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Evaluation;

public class EvaluationSuiteRunnerTests
{
    static EvaluationSuiteRunnerTests()
    {
        // The one line that adds an evaluator to every suite run, `cliplab eval --task` and `evaluation.tasks`.
        EvaluatorRegistry.Register(new MeanEmbeddingNormEvaluator());
    }

    [Fact]
    public void ShiftedVariantsAreReportedWithTheirAverageAndMissingEmojiIsSkippedWithHowToBuildIt()
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.Create(TinyRuns.Model);
        var tokenizer = ClipTokenizer.LoadDefault(16);
        var suite = EvaluationSuite.Paper with { Name = "test" };
        var options = new SuiteOptions(suite, ["zeroshot"]) { EmojiFolder = Path.Combine(TinyRuns.TempDirectory(), "none") };

        var report = EvaluationSuiteRunner.Run(model, tokenizer, TinyRuns.Config(), options);

        Assert.Equal(["zeroshot"], report.Tasks);
        var variants = DistributionShiftRegistry.Names.Select(s => report.Get($"fashion-mnist-{s}", "zeroshot", "top1")!.Value).ToList();
        Assert.Equal(variants.Average(), report.Get("fashion-mnist-shifted-average", "zeroshot", "top1")!.Value, 12);
        Assert.Equal(7, report.Get("fashion-mnist-shifted-average", "zeroshot", "variants"));
        Assert.Equal(10_000, report.Get("fashion-mnist", "zeroshot", "images"));
        Assert.Equal(10, report.Get("fashion-mnist", "zeroshot", "classes"));
        Assert.Contains("cliplab data import emoji", report.Skipped["emoji-group"]);
        Assert.Equal(80_000, report.Throughput.ImagesEmbedded);
        Assert.DoesNotContain(report.Benchmarks.Values, tasks => tasks.ContainsKey("linear_probe"));
    }

    [Fact]
    public void ARegisteredEvaluatorRunsInASuiteBesideTheBuiltInOnesAndSharesTheirFeatures()
    {
        torch.manual_seed(2);
        using var model = ModelRegistry.Create(TinyRuns.Model);
        var evaluated = new EvaluatedModel(model, ClipTokenizer.LoadDefault(16), "tiny");
        var options = new SuiteOptions(EvaluationSuite.Quick, ["mean_embedding_norm", "zeroshot"]);
        using var cache = FeatureCache.ForModel(model, batchSize: 500, directory: null);

        var report = EvaluationSuiteRunner.Run(evaluated, options, cache);

        // Registry order, whatever the order asked: the built-ins first, the plugin after them.
        Assert.Equal(["zeroshot", "mean_embedding_norm"], report.Tasks);
        Assert.Contains("mean_embedding_norm", EvaluationTaskNames.Canonical);
        double norm = report.Get("fashion-mnist", "mean_embedding_norm", "norm")!.Value;
        using (var scope = torch.NewDisposeScope())
        {
            var features = cache.Get(FashionMnistTestSet(model)).Features;
            Assert.Equal(features.mean([0]).norm().item<float>(), norm, 6);
        }
        Assert.InRange(norm, 1e-3, 1.0 + 1e-5);
        Assert.Contains(report.Metrics(), m => m.Name == "fashion-mnist/mean_embedding_norm/norm" && m.Value == norm);
        Assert.Contains(report.Metrics(), m => m.Name == "fashion-mnist/zeroshot/top1");
        // The test images were embedded once, for zero-shot, and reused by the plugin.
        Assert.Equal(10_000, report.Throughput.ImagesEmbedded);
        Assert.Equal(10_000, report.Throughput.ImagesReused);

        // A second run on the same cache embeds nothing, and its throughput counts that run alone.
        var again = EvaluationSuiteRunner.Run(evaluated, options with { Tasks = ["mean_embedding_norm"] }, cache);
        Assert.Equal(0, again.Throughput.ImagesEmbedded);
        Assert.Equal(norm, again.Get("fashion-mnist", "mean_embedding_norm", "norm"));
    }

    [Fact]
    public void OldTaskSpellingsSelectTheCanonicalTaskAndUnknownOnesListTheValidNames()
    {
        Assert.Same(EvaluatorRegistry.Get("linear_probe"), EvaluatorRegistry.Get(" Linear-Probe "));
        Assert.Same(EvaluatorRegistry.Get("fewshot"), EvaluatorRegistry.Get("few-shot"));
        Assert.True(EvaluationTaskNames.TryParse("few-shot", out string canonical));
        Assert.Equal("fewshot", canonical);
        Assert.False(EvaluationTaskNames.TryParse("probe", out _));
        var ex = Assert.Throws<ArgumentException>(() => EvaluatorRegistry.Resolve(["zeroshot", "segmentation"]));
        Assert.Contains("'segmentation'", ex.Message);
        Assert.Contains("zeroshot, linear_probe, fewshot, retrieval", ex.Message);
        Assert.Throws<ArgumentException>(() => EvaluatorRegistry.Register(new MeanEmbeddingNormEvaluator()));
    }

    [Fact]
    public void TheEndOfTrainingEvaluationIsASuiteWhoseFashionMnistFiguresFillResultsJson()
    {
        torch.manual_seed(3);
        using var model = ModelRegistry.Create(TinyRuns.Model);
        var tokenizer = ClipTokenizer.LoadDefault(16);
        var config = TinyRuns.Config() with { Evaluation = new EvaluationConfig { RetrievalImages = 50, RetrievalCaptionsPerImage = 2 } };

        var evaluation = EndOfTrainingEvaluation.Run(model, tokenizer, config);

        Assert.Equal(["zeroshot", "retrieval"], evaluation.Tasks);
        Assert.Equal(["fashion-mnist"], evaluation.Benchmarks.Keys);
        Assert.Empty(evaluation.LinearProbeSweeps);
        var train = new TrainReport("custom", 1, 64, 0.1, 60_000, 64, 4.0, 1, 64, 0.5, 32, null);
        string path = Path.Combine(TinyRuns.TempDirectory(), "results.json");
        RunResults.From(evaluation, train, "ckpt").Save(path);
        var results = RunResults.Load(path);
        Assert.Equal(evaluation.Get("fashion-mnist", "zeroshot", "top1"), results.ZeroShot!.Top1);
        Assert.Equal(evaluation.Get("fashion-mnist", "zeroshot", "mean_per_class"), results.ZeroShot.MeanPerClass);
        Assert.Equal(("fashion-mnist-test", 10_000, 18), (results.ZeroShot.Benchmark, results.ZeroShot.Images, results.ZeroShot.Templates));
        Assert.Equal(evaluation.Get("fashion-mnist", "retrieval", "text_to_image_r5"), results.Retrieval!.TextToImage.R5);
        Assert.Equal((50, 100), (results.Retrieval.Images, results.Retrieval.Texts));
        Assert.Equal(evaluation.Seconds, results.EvalSeconds);
        Assert.Equal(evaluation.Metrics(), results.Evaluation!.Metrics());

        // evaluation.zeroShot/retrieval = false turn the tasks off; nothing is embedded.
        var none = EndOfTrainingEvaluation.Run(model, tokenizer, config with { Evaluation = new EvaluationConfig { ZeroShot = false, Retrieval = false } });
        Assert.Empty(none.Benchmarks);
        Assert.Null(ZeroShotReport.From(none, "fashion-mnist"));
    }

    private static LabeledImageSet FashionMnistTestSet(ClipModel model) =>
        ClipLab.Evaluation.Benchmarks.FashionMnistBenchmark.Create(null, model.Config.Vision.ImageSize, "fashion-mnist", 0, []).Test;
}
