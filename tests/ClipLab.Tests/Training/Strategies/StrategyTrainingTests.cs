using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Data.Fashion;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training.Strategies;

public class StrategyTrainingTests
{
    [Theory]
    [InlineData("clip", "siglip", 1)]
    [InlineData("slip", "clip", 1)]
    [InlineData("flip", "clip", 1)]
    [InlineData("clip-aug", "clip", 1)]
    [InlineData("flip", "siglip", 2)]
    [InlineData("slip", "siglip", 2)]
    public void EachStrategyTrainsWithAFallingLoss(string strategy, string loss, int accumulationSteps)
    {
        string dir = TinyRuns.TempDirectory();
        var losses = new List<double>();
        using (var trainer = new Trainer(StrategyRuns.Config(strategy, loss, accumulationSteps: accumulationSteps), dir))
        {
            Assert.Equal(strategy, trainer.Strategy.Name);
            var summary = trainer.Run(p => losses.Add(p.Loss));
            Assert.True(summary.Completed);
            Assert.Equal(40, summary.Steps);
        }
        double first = losses.Take(5).Average(), last = losses.Skip(35).Average();
        Assert.True(last < first - 0.1, $"{strategy}/{loss}: loss did not fall: first {first:F3}, last {last:F3}");

        // The run records what it used: the strategy's settings and the model parts it trained.
        var saved = ConfigJson.Load<RunConfig>(Path.Combine(dir, Checkpoint.ConfigFile));
        Assert.Equal(strategy, saved.Training.Strategy.Name);
        Assert.Equal(loss, saved.Training.Loss.Name);
        Assert.Equal(loss == "siglip", saved.ModelConfig!.InitLogitBias is not null);
        Assert.Equal(strategy == "slip", saved.ModelConfig.SimClrHead is not null);
        Assert.Equal(strategy == "flip", saved.Training.Strategy is FlipStrategyConfig { MaskRatio: 0.5 });
        Assert.Equal(strategy == "slip", saved.Training.Strategy == StrategyRuns.TinySlip);
        var lastLine = File.ReadLines(Path.Combine(dir, "metrics.jsonl")).Last();
        using var metrics = JsonDocument.Parse(lastLine);
        Assert.Equal(loss == "siglip", metrics.RootElement.TryGetProperty("logit_bias", out _));
        Assert.Equal(strategy == "slip", metrics.RootElement.TryGetProperty("loss_simclr", out _));
    }

    [Theory]
    [InlineData("slip")]
    [InlineData("flip")]
    public void InterruptedAndResumedRunEqualsUninterruptedRun(string strategy)
    {
        // SLIP's views are keyed by sample position and FLIP's masks come from libtorch's generator (checkpointed).
        var config = StrategyRuns.Config(strategy, samples: 64 * 8, checkpointEvery: 5);
        float[] fullWeights;
        double fullLoss;
        using (var trainer = new Trainer(config, TinyRuns.TempDirectory()))
        {
            fullLoss = trainer.Run().FinalLoss;
            fullWeights = TinyRuns.Weights(trainer);
        }
        string dir = TinyRuns.TempDirectory();
        using (var cts = new CancellationTokenSource())
        using (var trainer = new Trainer(config, dir))
            trainer.Run(p => { if (p.Step == 3) cts.Cancel(); }, cts.Token);
        using (var trainer = new Trainer(config, dir, resume: true))
        {
            Assert.Equal(3, trainer.Step);
            Assert.Equal(fullLoss, trainer.Run().FinalLoss);
            Assert.Equal(fullWeights, TinyRuns.Weights(trainer));
        }
    }

    [Fact]
    public void ATrainedSlipOrSiglipRunLoadsForEvaluation()
    {
        string dir = TinyRuns.TempDirectory();
        var config = StrategyRuns.Config("slip", "siglip", samples: 64 * 2);
        TrainingSummary summary;
        using (var trainer = new Trainer(config, dir)) summary = trainer.Run();
        var (_, _, model, _) = Checkpoint.LoadTrained(dir);
        using (model)
        {
            Assert.NotNull(model.LogitBias);
            Assert.NotNull(model.SimClrHead);
            // The honest count drives the run; the paper's 2× CLIP is reported beside it.
            Assert.Equal(ClipLab.Training.Strategies.SlipStrategy.FlopsPerSample(model.Config) / 1e9, summary.GflopsPerSample, 9);
            Assert.Equal(2 * ClipLab.Models.Compute.TrainingCompute.FlopsPerSample(model.Config) / 1e9, summary.PaperGflopsPerSample!.Value, 9);
            var json = System.Text.Json.JsonSerializer.Serialize(ClipLab.Training.TrainReport.From("custom", 64, null, summary));
            Assert.Contains("\"paper_gflops_per_sample\"", json);
            var clipJson = System.Text.Json.JsonSerializer.Serialize(ClipLab.Training.TrainReport.From("custom", 64, null, summary with { PaperGflopsPerSample = null }));
            Assert.DoesNotContain("paper_gflops_per_sample", clipJson);
        }
    }
}

public class StreamingStrategyTests
{
    [Fact]
    public void SlipTrainsFromShardsWithTheLoaderMakingTheExtraViews()
    {
        string dir = TinyRuns.TempDirectory();
        var samples = new FashionMnistSource(FashionMnistSplit.Test, shuffle: false)
            .Read(ClipLab.Data.Sources.SourcePartition.All, 0, 0, new ClipLab.Data.BadSampleCounter(1.0)).Take(256);
        string shards = ClipLab.Data.WebDataset.ShardWriter.WriteAll(samples, dir, "fm", perShard: 128).Pattern;
        var config = StrategyRuns.Config("slip", samples: 64 * 4) with
        {
            Data = new DataConfig
            {
                Dataset = "stream",
                Sources = [new WebDatasetSourceConfig { Shards = shards }],
                Augmentation = "crop-flip",
                Workers = 2,
            },
        };
        using var trainer = new Trainer(config, TinyRuns.TempDirectory());
        var summary = trainer.Run();
        Assert.True(summary.Completed);
        Assert.Equal(4, summary.Steps);
        Assert.True(double.IsFinite(summary.FinalLoss));
    }

    [Fact]
    public void ClipAugWithoutAnAugmentingPipelineIsAConfigErrorListingThePresets()
    {
        var baseline = StrategyRuns.Config("clip-aug");
        var config = baseline with { Training = baseline.Training with { Strategy = new ClipAugStrategyConfig { Augmentation = "none" } } };
        var ex = Assert.Throws<ConfigException>(config.Validate);
        Assert.Contains("training.strategy.augmentation", ex.Message);
        Assert.Contains("stacked-randaug", ex.Message);
    }

    [Fact]
    public void ClipAugTakesItsPipelineFromItsRecordOnly()
    {
        // A second pipeline in data.augmentation would make CLIP+Aug differ from CLIP in more than its own augmentation.
        var config = StrategyRuns.Config("clip-aug") with { Data = new DataConfig { TrainSubset = 1024, Augmentation = "randaug" } };
        var ex = Assert.Throws<ConfigException>(config.Validate);
        Assert.Contains("data.augmentation", ex.Message);
        Assert.Contains("training.strategy.augmentation", ex.Message);
    }

    [Fact]
    public void StrategySettingsForAnotherStrategyAreRefused()
    {
        // The old spelling: a settings block of another strategy than the one named.
        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("""{ "training": { "strategy": "clip", "flip": { "maskRatio": 0.5 } } }"""));
        Assert.Contains("training.flip is set", ex.Message);
        // Unknown names list the valid ones, in either spelling and from the CLI's --strategy / --loss.
        ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("""{ "training": { "strategy": "simclr" } }"""));
        Assert.Contains("clip, slip, flip, clip-aug", ex.Message);
        ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("""{ "training": { "strategy": { "type": "simclr" } } }"""));
        Assert.Contains("clip, slip, flip, clip-aug", ex.Message);
        ex = Assert.Throws<ConfigException>(() => StrategyRuns.Config("simclr"));
        Assert.Contains("clip, slip, flip, clip-aug", ex.Message);
        ex = Assert.Throws<ConfigException>(() => StrategyRuns.Config("clip", "sigmoid"));
        Assert.Contains("clip, siglip", ex.Message);
        ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("""{ "training": { "loss": "sigmoid" } }"""));
        Assert.Contains("clip, siglip", ex.Message);
    }
}

public class StrategyExampleConfigTests
{
    [Fact]
    public void TheShippedStrategyExampleIsValidForEveryStrategyAndLoss()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "configs", "strategies-micro.json"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        var config = ConfigJson.Load<RunConfig>(Path.Combine(dir!, "configs", "strategies-micro.json"));
        config.Validate();
        foreach (var strategy in StrategyConfig.Names)
        foreach (var loss in LossConfig.Names)
            config.WithStrategy(strategy).WithLoss(loss).Validate();
    }
}
