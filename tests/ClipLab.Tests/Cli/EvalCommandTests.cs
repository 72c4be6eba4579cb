using System.Text.Json;
using ClipLab.Tests.Evaluation;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

public class EvalCommandTests
{
    private static string TrainedRun()
    {
        string run = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 5), run)) trainer.Run();
        return run;
    }

    private static JsonElement Benchmark(JsonDocument doc, string name) => doc.RootElement.GetProperty("benchmarks").GetProperty(name);

    [Fact]
    public void EvaluatesARunFolderAndWritesOnlyTheRequestedTasks()
    {
        string run = TrainedRun();
        string json = Path.Combine(run, "eval.json");

        var (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--task", "retrieval", "--json", json);
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("cliplab-eval/1", doc.RootElement.GetProperty("schema").GetString());
        var fashion = Benchmark(doc, "fashion-mnist");
        Assert.Equal(["retrieval"], fashion.EnumerateObject().Select(p => p.Name));
        var retrieval = fashion.GetProperty("retrieval");
        double r1 = retrieval.GetProperty("image_to_text_r1").GetDouble(), r10 = retrieval.GetProperty("image_to_text_r10").GetDouble();
        Assert.InRange(r1, 0, 1);
        Assert.True(r10 >= r1);
        Assert.Equal(200, retrieval.GetProperty("texts").GetInt32()); // 100 images × 2 captions
    }

    [Fact]
    public void QuickSuiteWritesEveryTaskForBuiltInAndUserBenchmarksAndReusesCachedFeatures()
    {
        string run = TrainedRun();
        string benchmark = UserBenchmarkTests.CreateBenchmarkFolder(UserBenchmarkTests.FullJson);
        string json = Path.Combine(run, "eval.json");

        var (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--suite", "quick", "--benchmark", benchmark, "--json", json);
        Assert.True(code == 0, output);
        Assert.Contains("Classification", output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        string[] classificationTasks = ["zeroshot", "linear_probe", "fewshot_1", "fewshot_5", "fewshot_10", "fewshot_25"];
        Assert.Equal([.. classificationTasks, "retrieval"], Benchmark(doc, "fashion-mnist").EnumerateObject().Select(p => p.Name));
        Assert.Equal([.. classificationTasks, "retrieval"], Benchmark(doc, "pets").EnumerateObject().Select(p => p.Name));
        foreach (var task in classificationTasks)
            Assert.InRange(Benchmark(doc, "fashion-mnist").GetProperty(task).GetProperty("top1").GetDouble(), 0, 1);
        Assert.Equal(10_000, Benchmark(doc, "fashion-mnist").GetProperty("linear_probe").GetProperty("train_images").GetInt32());
        Assert.False(doc.RootElement.GetProperty("benchmarks").TryGetProperty("fashion-mnist-sketch", out _)); // quick: no shifts
        Assert.True(doc.RootElement.GetProperty("throughput").GetProperty("images_embedded").GetInt64() >= 20_000);

        // Second run: every feature comes from the cache beside the checkpoint, and the results are identical.
        string again = Path.Combine(run, "again.json");
        (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--suite", "quick", "--benchmark", benchmark, "--json", again);
        Assert.True(code == 0, output);
        using var second = JsonDocument.Parse(File.ReadAllText(again));
        Assert.Equal(0, second.RootElement.GetProperty("throughput").GetProperty("images_embedded").GetInt64());
        Assert.Equal(Benchmark(doc, "fashion-mnist").GetRawText(), Benchmark(second, "fashion-mnist").GetRawText());
        Assert.Equal(Benchmark(doc, "pets").GetRawText(), Benchmark(second, "pets").GetRawText());
    }

    [Fact]
    public void GivenSuiteEvaluatesStandardBenchmarksFromFlagsAndBenchmarkFiles()
    {
        string run = TrainedRun();
        string data = TinyRuns.TempDirectory();
        foreach (var (wnid, red) in new[] { ("n01440764", (byte)30), ("n01443537", (byte)220) })
            for (int i = 0; i < 2; i++)
            {
                Directory.CreateDirectory(Path.Combine(data, "val", wnid));
                File.WriteAllBytes(Path.Combine(data, "val", wnid, $"ILSVRC2012_val_{red + i:D8}.JPEG"),
                    ClipLab.Imaging.ImageEncoder.EncodeJpeg(ClipLab.Imaging.RgbImage.Filled(40, 30, new ClipLab.Imaging.RgbColor(red, 80, (byte)(i * 90))), 90));
            }
        File.WriteAllText(Path.Combine(data, "v2.json"), """{ "name": "imagenet-again", "format": "imagenet", "path": "val" }""");
        string json = Path.Combine(run, "eval.json");

        var (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--suite", "given", "--task", "zeroshot", "--templates", "best",
            "--imagenet", Path.Combine(data, "val"), "--benchmark", Path.Combine(data, "v2.json"), "--json", json);
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(["imagenet", "imagenet-again"], doc.RootElement.GetProperty("benchmarks").EnumerateObject().Select(p => p.Name));
        var zeroShot = Benchmark(doc, "imagenet").GetProperty("zeroshot");
        Assert.Equal(4, zeroShot.GetProperty("images").GetInt32());
        Assert.Equal(1000, zeroShot.GetProperty("classes").GetInt32());
        Assert.Equal(8, zeroShot.GetProperty("templates").GetInt32());
        Assert.Equal(zeroShot.GetProperty("top1").GetDouble(), Benchmark(doc, "imagenet-again").GetProperty("zeroshot").GetProperty("top1").GetDouble());

        (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--coco", Path.Combine(data, "none.json"));
        Assert.Equal(2, code);
        Assert.Contains("--coco-images", output);
    }

    [Fact]
    public void UnknownTaskAndSuiteListTheValidOnes()
    {
        var (code, output) = CliProcess.Run("eval", "--checkpoint", TinyRuns.TempDirectory(), "--task", "segmentation");
        Assert.Equal(2, code);
        Assert.Contains("Valid tasks: zeroshot, linear_probe, fewshot, retrieval", output);
        (code, output) = CliProcess.Run("eval", "--checkpoint", TinyRuns.TempDirectory(), "--suite", "huge");
        Assert.Equal(2, code);
        Assert.Contains("Valid suites: quick, paper, given", output);
    }
}
