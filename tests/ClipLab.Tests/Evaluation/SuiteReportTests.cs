using ClipLab.Evaluation.Probes;
using ClipLab.Evaluation.Suites;
using Xunit;

namespace ClipLab.Tests.Evaluation;

public class SuiteReportTests
{
    [Fact]
    public void MetricsAreNamedBenchmarkTaskMetricAndSurviveAJsonRoundTrip()
    {
        var benchmarks = new Dictionary<string, Dictionary<string, Dictionary<string, double>>>
        {
            ["fashion-mnist"] = new()
            {
                ["zeroshot"] = new() { ["top1"] = 0.7, ["top5"] = 0.99 },
                ["fewshot_5"] = new() { ["top1"] = 0.6 },
            },
            ["fashion-mnist-sketch"] = new() { ["zeroshot"] = new() { ["top1"] = 0.2 } },
        };
        var report = new SuiteReport(SuiteReport.SchemaName, "quick", ["zeroshot", "fewshot"], "clip-vit-nano-p8-32", "abc", benchmarks,
            new Dictionary<string, string> { ["emoji-group"] = "no shards" },
            new Dictionary<string, IReadOnlyList<L2SweepPoint>> { ["fashion-mnist"] = [new(0.1, 0.8, 12)] },
            new EvaluationThroughput(100, 2, 50, 0, 10), 3.5) { Checkpoint = "/runs/x/checkpoints/step-00000010", Step = 10 };

        Assert.Equal(
            [("fashion-mnist/zeroshot/top1", 0.7), ("fashion-mnist/zeroshot/top5", 0.99), ("fashion-mnist/fewshot_5/top1", 0.6), ("fashion-mnist-sketch/zeroshot/top1", 0.2)],
            report.Metrics());
        Assert.Equal(0.6, report.Get("fashion-mnist", "fewshot_5", "top1"));
        Assert.Null(report.Get("fashion-mnist", "retrieval", "image_to_text_r1"));

        string path = Path.Combine(TinyRuns.TempDirectory(), "eval.json");
        report.Save(path);
        string text = File.ReadAllText(path);
        Assert.Contains("\"schema\": \"cliplab-eval/1\"", text);
        Assert.Contains("\"validation_top1\": 0.8", text);
        var loaded = SuiteReport.Load(path);
        Assert.Equal(report.Metrics(), loaded.Metrics());
        Assert.Equal(10, loaded.Step);
        Assert.Equal("no shards", loaded.Skipped["emoji-group"]);
        Assert.Equal(50, loaded.Throughput.ImagesPerSecond);
    }
}
