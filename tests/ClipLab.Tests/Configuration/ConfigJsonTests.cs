using ClipLab.Configuration;
using ClipLab.Models;
using Xunit;

namespace ClipLab.Tests.Configuration;

public class ConfigJsonTests
{
    [Fact]
    public void UnknownTopLevelKeyIsRejectedWithValidKeys()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("{\"modle\": \"x\"}"));
        Assert.Contains("unknown key 'modle'", ex.Message);
        Assert.Contains("model", ex.Message);
        Assert.Contains("training", ex.Message);
    }

    [Fact]
    public void UnknownNestedKeyNamesItsPath()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("{\"training\": {\"learningrate\": 1, \"batchSise\": 3}}"));
        Assert.Contains("training.batchSise", ex.Message);
        Assert.Contains("batchSize", ex.Message);
    }

    [Fact]
    public void WrongTypeNamesThePath()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("{\"training\": {\"batchSize\": \"large\"}}"));
        Assert.Contains("training.batchSize", ex.Message);
    }

    [Theory]
    // Every kind of key, at every depth: the message names the key path, the expected kind and the value given.
    [InlineData("{\"training\": {\"batchSize\": \"big\"}}", "'training.batchSize' must be an integer, got \"big\"")]
    [InlineData("{\"training\": {\"batchSize\": 64.5}}", "'training.batchSize' must be an integer, got 64.5")]
    [InlineData("{\"training\": {\"batchSize\": 99999999999}}", "'training.batchSize' must be an integer from -2,147,483,648 to 2,147,483,647, got 99999999999")]
    [InlineData("{\"training\": {\"learningRate\": \"fast\"}}", "'training.learningRate' must be a number, got \"fast\"")]
    [InlineData("{\"training\": {\"epochs\": true}}", "'training.epochs' must be a number (or null), got true")]
    [InlineData("{\"training\": {\"activationCheckpointing\": \"yes\"}}", "'training.activationCheckpointing' must be true or false, got \"yes\"")]
    [InlineData("{\"training\": {\"seed\": null}}", "'training.seed' must be an integer, got null")]
    [InlineData("{\"data\": {\"captionSeed\": -1}}", "'data.captionSeed' must be a non-negative integer from 0 to 18,446,744,073,709,551,615, got -1")]
    [InlineData("{\"data\": {\"sources\": {\"type\": \"csv\"}}}", "'data.sources' must be a list (JSON array), got an object")]
    [InlineData("{\"data\": {\"dataset\": \"stream\", \"sources\": [{\"type\": \"csv\", \"path\": 3}]}}", "'data.sources[0].path' must be a string, got 3")]
    [InlineData("{\"data\": {\"dataset\": \"stream\", \"sources\": [{\"type\": \"webdataset\", \"weight\": \"heavy\"}]}}", "'data.sources[0].weight' must be a number, got \"heavy\"")]
    [InlineData("{\"training\": 5}", "'training' must be an object ({ ... }), got 5")]
    [InlineData("{\"evaluation\": {\"tasks\": \"zeroshot\"}}", "'evaluation.tasks' must be a list (JSON array), got \"zeroshot\"")]
    [InlineData("{\"modelConfig\": {\"vision\": {\"type\": \"vit\", \"patchSize\": \"8\"}, \"text\": {}}}", "'modelConfig.vision.patchSize' must be an integer, got \"8\"")]
    public void AValueOfTheWrongKindNamesItsKeyTheExpectedKindAndTheValue(string json, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>(json, "run.json"));
        Assert.Equal("run.json: " + expected + ".", ex.Message);
        Assert.DoesNotContain("System.", ex.Message);
    }

    [Fact]
    public void ValuesOfTheRightKindStillBind()
    {
        var config = ConfigJson.Parse<RunConfig>("{\"training\": {\"batchSize\": 32, \"learningRate\": 1, \"epochs\": null, \"gradClipNorm\": \"Infinity\"}, " +
                                                 "\"data\": {\"captionSeed\": 18446744073709551615, \"root\": null}}");
        Assert.Equal(32, config.Training.BatchSize);
        Assert.Equal(1.0, config.Training.LearningRate);
        Assert.True(double.IsPositiveInfinity(config.Training.GradClipNorm));
        Assert.Equal(ulong.MaxValue, config.Data.CaptionSeed);
    }

    [Fact]
    public void UnknownVisionTypeListsChoices()
    {
        var ex = Assert.Throws<ConfigException>(() =>
            ConfigJson.Parse<RunConfig>("{\"modelConfig\": {\"vision\": {\"type\": \"vitt\"}, \"text\": {}}}"));
        Assert.Contains("vitt", ex.Message);
        Assert.Contains("vit", ex.Message);
    }

    [Fact]
    public void InvalidValuesNameKeyAndValidRange()
    {
        var ex = Assert.Throws<ConfigException>(() => new RunConfig { Training = new TrainingConfig { BatchSize = 1 } }.Validate());
        Assert.Contains("training.batchSize", ex.Message);
        ex = Assert.Throws<ConfigException>(() => new RunConfig { Model = "clip-vit-huge" }.Validate());
        Assert.Contains("clip-vit-nano-p8-32", ex.Message);
        ex = Assert.Throws<ConfigException>(() => new RunConfig { Data = new DataConfig { Dataset = "imagenet" } }.Validate());
        Assert.Contains("fashion-mnist", ex.Message);
    }

    [Fact]
    public void InvalidModelConfigIsReportedUnderItsKey()
    {
        var config = new RunConfig { ModelConfig = TinyRuns.Model with { Vision = new VisionTransformerConfig { ImageSize = 30, PatchSize = 8 } } };
        var ex = Assert.Throws<ConfigException>(() => config.Validate());
        Assert.Contains("modelConfig", ex.Message);
    }

    [Fact]
    public void ResolvedConfigRoundTripsThroughJson()
    {
        var config = TinyRuns.Config();
        string json = ConfigJson.Serialize(config);
        var back = ConfigJson.Parse<RunConfig>(json);
        Assert.Equal(ConfigJson.Serialize(back), json);
        Assert.IsType<VisionTransformerConfig>(back.ModelConfig!.Vision);
    }

    [Fact]
    public void MalformedJsonIsReportedWithLine()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("{\n\"model\": \n}", "my.json"));
        Assert.Contains("my.json is not valid JSON", ex.Message);
    }
}

public class StreamingDataConfigTests
{
    [Fact]
    public void SourcesParsePolymorphicallyAndTyposInsideThemAreNamed()
    {
        string dir = TinyRuns.TempDirectory();
        for (int i = 0; i < 4; i++) File.WriteAllBytes(Path.Combine(dir, $"a-{i}.tar"), []); // validation checks that shards exist
        string shards = Path.Combine(dir, "a-{0..3}.tar");
        var config = ConfigJson.Parse<RunConfig>($$"""
            { "data": { "dataset": "stream", "augmentation": "crop-flip",
                        "sources": [ { "type": "webdataset", "shards": "{{shards}}", "weight": 3 },
                                     { "type": "fashion-mnist", "split": "train" } ] } }
            """);
        config.Data.Validate();
        Assert.IsType<WebDatasetSourceConfig>(config.Data.Sources[0]);
        Assert.Equal(3, config.Data.Sources[0].Weight);
        Assert.IsType<FashionMnistSourceConfig>(config.Data.Sources[1]);

        var ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>(
            """{ "data": { "sources": [ { "type": "csv", "path": "x.csv" }, { "type": "csv", "paht": "y.csv" } ] } }"""));
        Assert.Contains("data.sources[1].paht", ex.Message);
        Assert.Contains("captionColumn", ex.Message);
        ex = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("""{ "data": { "sources": [ { "type": "parquet" } ] } }"""));
        Assert.Contains("webdataset, csv, fashion-mnist", ex.Message);
    }

    [Fact]
    public void StreamingRulesAreValidated()
    {
        var ex = Assert.Throws<ConfigException>(() => new DataConfig { Dataset = "stream" }.Validate());
        Assert.Contains("data.sources", ex.Message);
        // Augmentation works in memory too now; a subset of a stream is drawn from one source, one pass per epoch.
        new DataConfig { Augmentation = "randaug" }.Validate();
        ex = Assert.Throws<ConfigException>(() => new DataConfig
        {
            Dataset = "stream", TrainSubset = 100,
            Sources = new SourceConfig[] { new WebDatasetSourceConfig { Shards = "a.tar" }, new WebDatasetSourceConfig { Shards = "b.tar" } },
        }.Validate());
        Assert.Contains("data.trainSubset", ex.Message);
        Assert.Contains("one source", ex.Message);
        ex = Assert.Throws<ConfigException>(() => new DataConfig
        {
            Dataset = "stream", TrainSubset = 100, SamplesPerEpoch = 1000, Sources = new SourceConfig[] { new WebDatasetSourceConfig { Shards = "a.tar" } },
        }.Validate());
        Assert.Contains("data.samplesPerEpoch", ex.Message);
        ex = Assert.Throws<ConfigException>(() => new DataConfig
        {
            Dataset = "stream", Resampled = true, Sources = new SourceConfig[] { new WebDatasetSourceConfig { Shards = "a.tar" } },
        }.Validate());
        Assert.Contains("data.samplesPerEpoch", ex.Message);
        ex = Assert.Throws<ConfigException>(() => new DataConfig
        {
            Dataset = "stream", Sources = new SourceConfig[] { new FashionMnistSourceConfig { Split = "val" } },
        }.Validate());
        Assert.Contains("data.sources[0].split", ex.Message);
    }
}
