using ClipLab.Evaluation;
using ClipLab.Evaluation.Suites;
using ClipLab.Imaging.Shifts;
using ClipLab.Models;
using ClipLab.Text;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Evaluation;

public class SuiteEvaluatorTests
{
    [Fact]
    public void ShiftedVariantsAreReportedWithTheirAverageAndMissingEmojiIsSkippedWithHowToBuildIt()
    {
        torch.manual_seed(1);
        using var model = ModelRegistry.Create(TinyRuns.Model);
        var tokenizer = ClipTokenizer.LoadDefault(16);
        var suite = EvaluationSuite.Paper with { Name = "test" };
        var options = new SuiteOptions(suite, new HashSet<EvaluationTask> { EvaluationTask.ZeroShot }) { EmojiFolder = Path.Combine(TinyRuns.TempDirectory(), "none") };

        var report = SuiteEvaluator.Run(model, tokenizer, TinyRuns.Config(), options);

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
}
