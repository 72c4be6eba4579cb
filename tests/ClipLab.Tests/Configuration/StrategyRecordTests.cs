using System.Text.Json.Nodes;
using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Training.Strategies;
using Xunit;

namespace ClipLab.Tests.Configuration;

/// <summary><c>training.strategy</c> and <c>training.loss</c> as records, and the old spelling that still loads.</summary>
public class StrategyRecordTests
{
    private static RunConfig Parse(string json) => ConfigJson.Parse<RunConfig>(json);

    [Fact]
    public void TheRecordFormCarriesTheStrategysSettings()
    {
        var config = Parse("""{ "training": { "strategy": { "type": "flip", "maskRatio": 0.75 }, "loss": { "type": "siglip" } } }""");
        Assert.Equal(new FlipStrategyConfig { MaskRatio = 0.75 }, config.Training.Strategy);
        Assert.IsType<SigLipLossConfig>(config.Training.Loss);
        Assert.Equal("flip", config.Training.Strategy.Name);
        Assert.Equal("siglip", config.Training.Loss.Name);
        // "type" may come after the settings, as people write them.
        Assert.Equal(config, Parse("""{ "training": { "strategy": { "maskRatio": 0.75, "type": "flip" }, "loss": { "type": "siglip" } } }"""));
        // A setting of another strategy is an unknown key of this one, named with its path.
        var ex = Assert.Throws<ConfigException>(() => Parse("""{ "training": { "strategy": { "type": "flip", "mlpDim": 512 } } }"""));
        Assert.Contains("training.strategy.mlpDim", ex.Message);
        Assert.Contains("maskRatio", ex.Message);
    }

    [Theory]
    [InlineData("""{ "training": { "strategy": "flip", "flip": { "maskRatio": 0.75 } } }""", """{ "training": { "strategy": { "type": "flip", "maskRatio": 0.75 } } }""")]
    [InlineData("""{ "training": { "strategy": "flip" } }""", """{ "training": { "strategy": { "type": "flip" } } }""")]
    [InlineData("""{ "training": { "strategy": "slip", "loss": "siglip", "slip": { "mlpDim": 512, "embedDim": 128 } } }""",
                """{ "training": { "strategy": { "type": "slip", "mlpDim": 512, "embedDim": 128 }, "loss": { "type": "siglip" } } }""")]
    [InlineData("""{ "training": { "slip": null, "flip": null, "strategy": "clip", "loss": "clip" } }""", """{ }""")]
    [InlineData("""{ "training": { "Strategy": "flip", "Flip": { "MaskRatio": 0.25 } } }""", """{ "training": { "strategy": { "type": "flip", "maskRatio": 0.25 } } }""")]
    // clip-aug took its pipeline from data.augmentation; its record holds it now.
    [InlineData("""{ "data": { "augmentation": "randaug" }, "training": { "strategy": "clip-aug" } }""",
                """{ "training": { "strategy": { "type": "clip-aug", "augmentation": "randaug" } } }""")]
    public void TheOldSpellingLoadsAsTheRecordForm(string old, string record)
    {
        var migrated = Parse(old);
        string saved = ConfigJson.Serialize(migrated);
        Assert.Equal(ConfigJson.Serialize(Parse(record)), saved);
        // A run records the new form, which reads back to the same config.
        Assert.Contains("\"strategy\": {", saved);
        Assert.DoesNotContain("\"flip\":", saved);
        Assert.DoesNotContain("\"slip\":", saved);
        Assert.Equal(saved, ConfigJson.Serialize(Parse(saved)));
    }

    [Fact]
    public void AnOldSettingsBlockBesideARecordIsRefusedSayingWhereItGoes()
    {
        var ex = Assert.Throws<ConfigException>(() => Parse("""{ "training": { "strategy": { "type": "slip" }, "slip": { "mlpDim": 512 } } }"""));
        Assert.Contains("training.slip", ex.Message);
        Assert.Contains("\"type\": \"slip\"", ex.Message);
    }

    [Fact]
    public void ValidationNamesTheRecordsKeysAndTheValidChoices()
    {
        var ex = Assert.Throws<ConfigException>(() => Parse("""{ "training": { "strategy": { "type": "flip", "maskRatio": 1.5 } } }""").Validate());
        Assert.Contains("training.strategy.maskRatio", ex.Message);
        ex = Assert.Throws<ConfigException>(() => Parse("""{ "training": { "strategy": { "type": "slip", "mlpDim": 0 } } }""").Validate());
        Assert.Contains("training.strategy.mlpDim", ex.Message);
        ex = Assert.Throws<ConfigException>(() => Parse("""{ "training": { "strategy": {} } }"""));
        Assert.Contains("training.strategy.type", ex.Message);
        Assert.Contains("clip, slip, flip, clip-aug", ex.Message);
        ex = Assert.Throws<ConfigException>(() => Parse("""{ "training": { "loss": { "type": "infonce" } } }"""));
        Assert.Contains("clip, siglip", ex.Message);
    }

    [Fact]
    public void TheStrategyNamesAreThoseOfTheRecordsAndOfTheTrainingStrategies()
    {
        Assert.Equal(["clip", "slip", "flip", "clip-aug"], StrategyConfig.Names);
        Assert.Equal(["clip", "siglip"], LossConfig.Names);
        foreach (string name in StrategyConfig.Names)
        {
            var record = StrategyConfig.Named(name);
            Assert.Equal(name, record.Name);
            var strategy = TrainingStrategy.Create(new TrainingConfig { Strategy = record }, new RunConfig { Training = new TrainingConfig { Strategy = record } }
                .ResolveModel(ClipLab.Text.ClipTokenizer.LoadDefault()));
            Assert.Equal(name, strategy.Name);
        }
    }
}

/// <summary>Issue 15 item 4: switching <c>--strategy</c> on a shipped config works, and CLIP against CLIP+Aug differs only in augmentation.</summary>
public class ShippedConfigStrategyTests
{
    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "configs", "strategies-micro.json"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new DirectoryNotFoundException("repository root (configs/strategies-micro.json) not found above " + AppContext.BaseDirectory);
    }

    public static TheoryData<string> ShippedConfigs()
    {
        var data = new TheoryData<string>();
        string root = RepositoryRoot(), benchmarks = Path.Combine(root, "configs", "benchmarks");
        // configs/benchmarks/ holds benchmark files (`--benchmark FILE`, a study's suite), not run configs.
        foreach (string file in Directory.GetFiles(Path.Combine(root, "configs"), "*.json", SearchOption.AllDirectories)
                     .Where(f => !f.StartsWith(benchmarks + Path.DirectorySeparatorChar, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(root, file));
        return data;
    }

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void EveryStrategyAndLossCanBeSwitchedOnAShippedConfig(string file)
    {
        var config = ConfigJson.Load<RunConfig>(Path.Combine(RepositoryRoot(), file));
        config.Validate();
        foreach (string strategy in StrategyConfig.Names)
        foreach (string loss in LossConfig.Names)
        {
            var switched = config.WithStrategy(strategy).WithLoss(loss);
            if (strategy == "flip" && (config.ModelConfig ?? ModelRegistry.GetClip(config.Model)).Vision.TokenMasking() is null)
            {
                // FLIP masks patch tokens: a tower without them is refused in one line that says what to use instead.
                Assert.Contains("or strategy clip, slip or clip-aug", Assert.Throws<ConfigException>(switched.Validate).Message, StringComparison.OrdinalIgnoreCase);
                continue;
            }
            switched.Validate();
            Assert.Equal(strategy, switched.Training.Strategy.Name);
            // Only clip-aug augments the image-text view of a shipped config.
            string pipeline = switched.Training.Strategy.ImageTextAugmentation(switched.Data.Augmentation);
            Assert.Equal(strategy == "clip-aug", pipeline != "none");
        }
    }

    [Fact]
    public void FlipOnTheStrategiesExampleNoLongerTripsOverSlipSettings()
    {
        var config = ConfigJson.Load<RunConfig>(Path.Combine(RepositoryRoot(), "configs", "strategies-micro.json"));
        Assert.IsType<SlipStrategyConfig>(config.Training.Strategy);
        var flip = config.WithStrategy("flip");
        flip.Validate();
        Assert.Equal(new FlipStrategyConfig(), flip.Training.Strategy);
        // Switching to the strategy the file already names keeps its settings.
        Assert.Equal(512, ((SlipStrategyConfig)config.WithStrategy("slip").Training.Strategy).MlpDim);
    }

    [Fact]
    public void PlainClipOnTheStrategiesExampleIsNotAugmentedAndClipAugDiffersOnlyInAugmentation()
    {
        var config = ConfigJson.Load<RunConfig>(Path.Combine(RepositoryRoot(), "configs", "strategies-micro.json"));
        var clip = config.WithStrategy("clip");
        var clipAug = config.WithStrategy("clip-aug");
        Assert.Equal("none", clip.Training.Strategy.ImageTextAugmentation(clip.Data.Augmentation));
        Assert.Equal("crop-flip", clipAug.Training.Strategy.ImageTextAugmentation(clipAug.Data.Augmentation));

        // As JSON, the two configs differ in the strategy record alone, and that record only by its augmentation.
        var a = JsonNode.Parse(ConfigJson.Serialize(clip))!.AsObject();
        var b = JsonNode.Parse(ConfigJson.Serialize(clipAug))!.AsObject();
        Assert.Equal(["training.strategy.augmentation", "training.strategy.type"], Differences(a, b).Order(StringComparer.Ordinal));

        // Same model, same cost.
        var tokenizer = config.Tokenizer.Load();
        var model = clip.ResolveModel(tokenizer);
        Assert.Equal(model, clipAug.ResolveModel(tokenizer));
        Assert.Equal(TrainingStrategy.Create(clip.Training, model).Cost.FlopsPerSample, TrainingStrategy.Create(clipAug.Training, model).Cost.FlopsPerSample);
        Assert.Equal(TrainingCompute.FlopsPerSample(model), TrainingStrategy.Create(clipAug.Training, model).Cost.FlopsPerSample);
    }

    [Fact]
    public void SwitchingToClipAugMovesAnExplicitDataAugmentationIntoItsRecord()
    {
        var config = new RunConfig { Data = new DataConfig { Augmentation = "randaug" } };
        var clipAug = config.WithStrategy("clip-aug");
        clipAug.Validate();
        Assert.Equal(new ClipAugStrategyConfig { Augmentation = "randaug" }, clipAug.Training.Strategy);
        Assert.Equal("none", clipAug.Data.Augmentation);
        // Plain clip keeps an augmentation the user asked for explicitly.
        Assert.Equal("randaug", config.Training.Strategy.ImageTextAugmentation(config.Data.Augmentation));
    }

    [Fact]
    public void TheJsonExamplesOfTheConfigDocsLoadAndValidateWithEveryStrategy()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "config.md"));
        var blocks = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != "```json") continue;
            int end = Array.FindIndex(lines, i + 1, l => l.Trim() == "```");
            blocks.Add(string.Join("\n", lines[(i + 1)..end]));
            i = end;
        }
        Assert.True(blocks.Count >= 3, $"found {blocks.Count} json blocks in docs/config.md");
        foreach (string block in blocks)
        {
            var config = ConfigJson.Parse<RunConfig>(block, "docs/config.md");
            config.Validate();
            foreach (string strategy in StrategyConfig.Names) config.WithStrategy(strategy).Validate();
        }
    }

    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path = "")
    {
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (string key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                foreach (string d in Differences(x[key], y[key], path.Length == 0 ? key : path + "." + key)) yield return d;
        }
        else if (!JsonNode.DeepEquals(a, b))
        {
            yield return path;
        }
    }
}
