using ClipLab.Configuration;
using ClipLab.Studies;
using Xunit;

namespace ClipLab.Tests.Studies;

public class StudyGridTests
{
    private static string Dir() => TinyRuns.TempDirectory();

    [Fact]
    public void AxesAreCrossedInFileOrderThenSeedsWithDeterministicRunIds()
    {
        var study = TinyStudy.Load(TinyStudy.Write(Dir(),
            axes: """[ { "key": "data.trainSubset", "values": [256, 512] }, { "key": "training.strategy", "values": ["clip", "slip"] } ]""",
            seeds: "[3, 4]"));
        Assert.Equal(8, study.Runs.Count);
        Assert.Equal(
        [
            "trainSubset-256_strategy-clip_seed-3", "trainSubset-256_strategy-clip_seed-4", "trainSubset-256_strategy-slip_seed-3",
            "trainSubset-256_strategy-slip_seed-4", "trainSubset-512_strategy-clip_seed-3", "trainSubset-512_strategy-clip_seed-4",
            "trainSubset-512_strategy-slip_seed-3", "trainSubset-512_strategy-slip_seed-4",
        ], study.Runs.Select(r => r.RunId));
        var run = study.Runs[6];
        Assert.Equal(512, run.Config.Data.TrainSubset);
        Assert.Equal("slip", run.Config.Training.Strategy.Name);
        Assert.Equal(3, run.Config.Training.Seed);
        Assert.Equal(3, run.Seed);
        Assert.Equal(new Dictionary<string, string> { ["data.trainSubset"] = "512", ["training.strategy"] = "slip" }, run.Axes);
        // The rest of the base config is untouched.
        Assert.Equal(64, run.Config.Training.BatchSize);
        Assert.Equal(32, run.Config.ModelConfig!.EmbedDim);

        var again = TinyStudy.Load(study.Source);
        Assert.Equal(study.Runs.Select(r => r.RunId), again.Runs.Select(r => r.RunId));
    }

    [Fact]
    public void BudgetRegimesSetTheBudgetAndSeveralMakeAnAxis()
    {
        var study = TinyStudy.Load(TinyStudy.Write(Dir(), axes: """[ { "key": "data.trainSubset", "values": [256] } ]""",
            budget: """{ "regimes": ["one-epoch", "fixed-samples", "fixed-gflops", "fixed-epochs"], "samplesSeen": 640, "gflops": 5, "epochs": 3 }"""));
        Assert.Equal(["budget-one-epoch_trainSubset-256_seed-0", "budget-fixed-samples_trainSubset-256_seed-0",
            "budget-fixed-gflops_trainSubset-256_seed-0", "budget-fixed-epochs_trainSubset-256_seed-0"], study.Runs.Select(r => r.RunId));
        Assert.Equal(1.0, study.Runs[0].Config.Training.Epochs);
        Assert.Null(study.Runs[1].Config.Training.Epochs);
        Assert.Equal(640, study.Runs[1].Config.Training.SamplesSeen);
        Assert.Equal(5.0, study.Runs[2].Config.Training.BudgetGflops);
        Assert.Equal(3.0, study.Runs[3].Config.Training.Epochs);
        Assert.Equal("one-epoch", study.Runs[0].Axes["budget"]);
    }

    [Fact]
    public void ACompoundAxisSetsSeveralKeysPerValue()
    {
        var study = TinyStudy.Load(TinyStudy.Write(Dir(), axes: """
            [ { "key": "strategy", "values": ["clip", "clip-aug"],
                "settings": [ { "training.strategy": "clip" }, { "training.strategy": "clip-aug", "data.augmentation": "crop-flip" } ] } ]
            """));
        Assert.Equal(["strategy-clip_seed-0", "strategy-clip-aug_seed-0"], study.Runs.Select(r => r.RunId));
        Assert.Equal("none", study.Runs[0].Config.Data.Augmentation);
        Assert.Equal("clip-aug", study.Runs[1].Config.Training.Strategy.Name);
        // The old spelling's pipeline moves into the clip-aug record at load; the data pipeline itself stays plain.
        Assert.Equal("crop-flip", Assert.IsType<ClipAugStrategyConfig>(study.Runs[1].Config.Training.Strategy).Augmentation);
        Assert.Equal("none", study.Runs[1].Config.Data.Augmentation);
    }

    [Fact]
    public void AModelAxisReplacesAnInlineModelConfig()
    {
        var study = TinyStudy.Load(TinyStudy.Write(Dir(), axes: """[ { "key": "model", "values": ["clip-vit-nano-p8-32", "clip-resnet-nano-32"] } ]"""));
        Assert.All(study.Runs, r => Assert.Null(r.Config.ModelConfig));
        Assert.Equal("clip-resnet-nano-32", study.Runs[1].Config.Model);
    }

    [Theory]
    [InlineData("""[ { "key": "training.learningRat", "values": [0.1] } ]""", "unknown key 'training.learningRat'", "learningRate")]
    [InlineData("""[ { "key": "data.trainSubset", "values": [] } ]""", "axis 'data.trainSubset' is empty", "at least one value")]
    [InlineData("""[ { "key": "model", "values": ["clip-vit-nano-p8-32", "clip-vit-huge-9000"] } ]""", "clip-vit-huge-9000", "clip-resnet-nano-32")]
    [InlineData("""[ { "key": "training.strategy", "values": ["clip", "simclr"] } ]""", "training.strategy", "clip, slip, flip, clip-aug")]
    [InlineData("""[ { "key": "training.batchSize", "values": [1] } ]""", "training.batchSize", "at least 2")]
    [InlineData("""[ { "key": "data.keepTop", "values": [0.4] } ]""", "data.keepTop", "'scoring' section")]
    [InlineData("""[ { "key": "lr", "values": [1], "extra": 2 } ]""", "unknown key 'scales.cpu.axes[0].extra'", "key, settings, values")]
    public void ABadAxisIsRefusedAtLoadNamingTheProblemAndTheValidChoices(string axes, string names, string lists)
    {
        var ex = Assert.Throws<ConfigException>(() => TinyStudy.Load(TinyStudy.Write(Dir(), axes: axes)));
        Assert.Contains(names, ex.Message);
        Assert.Contains(lists, ex.Message);
    }

    [Theory]
    [InlineData("[]", """{ "regimes": ["config"] }""", "'seeds' is empty")]
    [InlineData("[1, 1]", """{ "regimes": ["config"] }""", "repeats a seed")]
    [InlineData("[0]", """{ "regimes": ["fixed-samples"] }""", "needs 'budget.samplesSeen'")]
    [InlineData("[0]", """{ "regimes": ["two-epochs"] }""", "one-epoch, fixed-epochs, fixed-samples, fixed-gflops, config")]
    public void BadSeedsAndBudgetsAreRefused(string seeds, string budget, string message)
    {
        var ex = Assert.Throws<ConfigException>(() => TinyStudy.Load(TinyStudy.Write(Dir(), seeds: seeds, budget: budget)));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void AnAxisThatSetsTheBudgetIsRefusedUnderARegimeThatSetsItToo()
    {
        var ex = Assert.Throws<ConfigException>(() => TinyStudy.Load(TinyStudy.Write(Dir(),
            axes: """[ { "key": "training.samplesSeen", "values": [640] } ]""", budget: """{ "regimes": ["one-epoch"] }""")));
        Assert.Contains("training.samplesSeen", ex.Message);
        Assert.Contains("\"config\"", ex.Message);
    }

    [Fact]
    public void UnknownStudiesAndScalesAreNamedWithTheChoices()
    {
        var ex = Assert.Throws<ConfigException>(() => StudyLoader.Load("data-qualty", "cpu"));
        Assert.Contains("data-quality", ex.Message); // lists the shipped studies
        string path = TinyStudy.Write(Dir());
        ex = Assert.Throws<ConfigException>(() => StudyLoader.Load(path, "paper"));
        Assert.Contains("has no scale 'paper'; it has: cpu", ex.Message);
        ex = Assert.Throws<ConfigException>(() => StudyLoader.Load(path, "gpu"));
        Assert.Contains("cpu, paper", ex.Message);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"cpu\":", "\"cpux\":", StringComparison.Ordinal));
        ex = Assert.Throws<ConfigException>(() => StudyLoader.Load(path, "cpu"));
        Assert.Contains("unknown key 'scales.cpux'", ex.Message);
    }

    [Fact]
    public void TheSixShippedStudiesLoadAtBothScales()
    {
        Assert.Equal(["architectures", "data-aug", "data-quality", "data-quantity", "strategies", "vit-size"], StudyLoader.ShippedNames);
        foreach (string name in StudyLoader.ShippedNames)
            foreach (string scale in StudyScales.Names)
            {
                var study = StudyLoader.Load(name, scale, checkData: false);
                Assert.True(study.Runs.Count >= 4, $"{name} {scale}");
                Assert.NotEmpty(study.Claims);
            }
        // The Fashion-MNIST studies' cpu scale is complete on this machine, data included.
        foreach (string name in new[] { "data-quantity", "vit-size", "architectures", "strategies", "data-aug" })
            Assert.NotEmpty(StudyLoader.Load(name, "cpu").Runs);
    }

    [Fact]
    public void ShardsAreDisjointCoverTheGridAndDifferByAtMostOneRun()
    {
        var study = TinyStudy.Load(TinyStudy.Write(Dir(),
            axes: """[ { "key": "data.trainSubset", "values": [256, 512, 768] }, { "key": "training.strategy", "values": ["clip", "slip"] } ]"""));
        foreach (int n in new[] { 1, 2, 4, 6, 7 })
        {
            var slices = Enumerable.Range(1, n).Select(i => StudyShard.Parse($"{i}/{n}").Select(study.Runs)).ToList();
            Assert.Equal(study.Runs.Select(r => r.RunId).Order(), slices.SelectMany(s => s).Select(r => r.RunId).Order());
            Assert.InRange(slices.Max(s => s.Count) - slices.Min(s => s.Count), 0, 1);
        }
        Assert.Equal(StudyShard.Parse("2/4").Select(study.Runs), StudyShard.Parse("2/4").Select(study.Runs));
        foreach (string bad in new[] { "0/2", "3/2", "1", "a/b", "1/0" })
            Assert.Contains("i/n", Assert.Throws<ConfigException>(() => StudyShard.Parse(bad)).Message);
    }
}
