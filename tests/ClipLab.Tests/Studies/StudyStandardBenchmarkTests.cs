using ClipLab.Configuration;
using ClipLab.Imaging;
using ClipLab.Studies;
using ClipLab.Studies.Reporting;
using Xunit;
using static ClipLab.Tests.Studies.Reporting.StudyTables;

namespace ClipLab.Tests.Studies;

/// <summary>A study's <c>evaluation.standard</c>: the paper's benchmarks (ImageNet, MSCOCO …) named in the study file.</summary>
public class StudyStandardBenchmarkTests
{
    /// <summary>A tiny ImageNet validation folder: two classes, two JPEGs each.</summary>
    private static string TinyImageNet(string dir)
    {
        string val = Path.Combine(dir, "imagenet", "val");
        foreach (var (wnid, red) in new[] { ("n01440764", (byte)30), ("n01443537", (byte)220) })
            for (int i = 0; i < 2; i++)
            {
                Directory.CreateDirectory(Path.Combine(val, wnid));
                File.WriteAllBytes(Path.Combine(val, wnid, $"ILSVRC2012_val_{red + i:D8}.JPEG"),
                    ImageEncoder.EncodeJpeg(RgbImage.Filled(40, 30, new RgbColor(red, 80, (byte)(i * 90))), 90));
            }
        return val;
    }

    private static string Evaluation(string standard, string templates = "best") =>
        $$"""{ "suite": "given", "tasks": ["zeroshot"], "templates": "{{templates}}", "standard": {{standard}} }""";

    private static string OneRun => """[ { "key": "training.learningRate", "values": [0.003] } ]""";

    [Fact]
    public void AStudyRunIsEvaluatedOnTheStandardBenchmarksItsFileNames()
    {
        string dir = TinyRuns.TempDirectory();
        string val = TinyImageNet(dir);
        var study = TinyStudy.Load(TinyStudy.Write(dir, axes: OneRun,
            // The same images stand in for ImageNet-Sketch (also synset folders), a distribution shift of ImageNet.
            evaluation: Evaluation($$"""[ { "format": "imagenet", "path": "{{val}}" }, { "format": "imagenet-sketch", "path": "{{val}}" } ]""")));
        string output = Path.Combine(dir, "out");

        Assert.True(new StudyRunner(study, output).Run(new InProcessRunExecutor(study), _ => { }));

        using var store = StudyStore.OpenExisting(output);
        var metrics = Assert.Single(store.Records()).Metrics;
        Assert.Equal(4, metrics["imagenet/zeroshot/images"]);
        Assert.Equal(1000, metrics["imagenet/zeroshot/classes"]);
        Assert.Equal(8, metrics["imagenet/zeroshot/templates"]); // "templates": "best"
        Assert.InRange(metrics["imagenet/zeroshot/top1"], 0, 1);
        // The variants' average, which the claims read for "the shifted variants".
        Assert.Equal(1, metrics["imagenet-shifted-average/zeroshot/variants"]);
        Assert.Equal(metrics["imagenet-sketch/zeroshot/top1"], metrics["imagenet-shifted-average/zeroshot/top1"]);
        Assert.Equal(metrics["imagenet/zeroshot/top1"], metrics["imagenet-sketch/zeroshot/top1"]);
        Assert.DoesNotContain(metrics.Keys, k => k.StartsWith("fashion-mnist/", StringComparison.Ordinal)); // suite "given": only what was named
    }

    [Theory]
    [InlineData("""[ { "format": "imagenet-21k", "path": "x" } ]""", "best", "unknown benchmark format 'imagenet-21k'. Valid formats: imagenet, imagenet-v2")]
    [InlineData("""[ { "format": "coco", "path": "captions.json" } ]""", "best", "benchmark format 'coco' needs the folder of its images")]
    [InlineData("""[ { "format": "imagenet", "path": "x", "split": "val" } ]""", "best", "split")]
    [InlineData("""[]""", "all", "invalid value for 'evaluation.templates': \"all\". Expected one of: clip, best")]
    public void ABadStandardBenchmarkIsRefusedAtLoadWithTheValidChoices(string standard, string templates, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => TinyStudy.Load(TinyStudy.Write(TinyRuns.TempDirectory(), axes: OneRun,
            evaluation: Evaluation(standard, templates))));
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void AMissingBenchmarkFolderIsRefusedBeforeTrainingButNotWhenPlanningForAnotherMachine()
    {
        string dir = TinyRuns.TempDirectory();
        string missing = Path.Combine(dir, "no-such-imagenet");
        string path = TinyStudy.Write(dir, axes: OneRun, evaluation: Evaluation($$"""[ { "format": "imagenet", "path": "{{missing}}" } ]"""));

        var ex = Assert.Throws<ConfigException>(() => StudyLoader.Load(path, "cpu"));
        Assert.Contains($"evaluation benchmark imagenet: '{missing}' not found", ex.Message);
        Assert.Single(StudyLoader.Load(path, "cpu", checkData: false).Runs); // `study plan` checks no data
    }

    [Fact]
    public void ClaimsReadImageNetAndCocoWhenTheRunsHaveThemAndTheirStandInsOtherwise()
    {
        // ImageNet says top 40% wins, Fashion-MNIST (also in the runs) says the opposite: the verdict follows ImageNet.
        var runs = new List<StudyRunRecord>();
        for (int seed = 0; seed < 3; seed++)
            foreach (var (keep, imagenet, fashion) in new[] { ("0.4", 0.61 + seed / 100.0, 0.50), ("1", 0.54 + seed / 100.0, 0.60) })
                runs.Add(Run("data-quality", new Dictionary<string, string> { ["data.keepTop"] = keep }, seed, 20_000,
                    new Dictionary<string, double>
                    {
                        ["imagenet/zeroshot/top1"] = imagenet, [ZeroShot] = fashion + seed / 100.0,
                        ["coco/retrieval/image_to_text_r1"] = 0.3, [ImageToText] = 0.1,
                    }));
        var quality = ClaimJudge.Judge(PaperClaims.All, runs).Single(v => v.Claim.Id == "C-Quality");
        Assert.Equal("imagenet/zeroshot/top1", quality.Conditions[1].Metric);
        Assert.Equal(Verdict.Holds, quality.Conditions[1].Outcome);
        var retrieval = ClaimJudge.Judge(PaperClaims.All, runs).Single(v => v.Claim.Id == "C-Retrieval-Quality");
        Assert.Equal("coco/retrieval/image_to_text_r1", retrieval.Conditions[0].Metric);

        // Without them, the CPU stand-ins are judged as before.
        var standIns = DataQuality();
        Assert.Equal(ZeroShot, ClaimJudge.Judge(PaperClaims.All, standIns).Single(v => v.Claim.Id == "C-Quality").Conditions[1].Metric);
        Assert.Equal(ImageToText, ClaimJudge.Judge(PaperClaims.All, standIns).Single(v => v.Claim.Id == "C-Retrieval-Quality").Conditions[0].Metric);
    }
}
