using System.Text.Json;
using System.Text.Json.Nodes;
using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Tests.Cli;
using ClipLab.Training;
using ClipLab.Training.Strategies;
using Xunit;

namespace ClipLab.Tests.Configuration;

/// <summary>
/// The presets in <c>configs/paper/</c>: each loads and validates, holds the paper's settings, differs from the reference
/// CLIP ViT-B/32 preset only in its own lever, and has the size and compute <c>cliplab models</c> reports. Sizes and
/// FLOPs are counted analytically (no ViT-B weights are allocated).
/// </summary>
public class PaperPresetTests
{
    private static string PresetFolder()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !Directory.Exists(Path.Combine(dir, "configs", "paper"))) dir = Path.GetDirectoryName(dir);
        Assert.NotNull(dir);
        return Path.Combine(dir!, "configs", "paper");
    }

    private static string[] PresetNames() =>
        Directory.GetFiles(PresetFolder(), "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray();

    public static TheoryData<string> Presets => new(PresetNames());

    /// <summary>Every preset the paper's studies need: the four strategies on ViT-B/32, four more ViT sizes, four architectures.</summary>
    [Fact]
    public void EveryStudyHasItsPreset()
    {
        string[] expected =
        [
            "clip-vit-b-32", "slip-vit-b-32", "flip-vit-b-32", "clip-aug-vit-b-32",
            "clip-vit-ti-16", "clip-vit-s-16", "clip-vit-b-16", "clip-vit-l-16",
            "clip-resnet50", "clip-convnext-t", "clip-swin-t", "clip-mixer-b-32",
        ];
        Assert.Equal(expected.Order(StringComparer.Ordinal), PresetNames());
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void PresetHoldsThePaperSettings(string name)
    {
        var config = Load(name);
        // Everything but the data section validates here; the shards are the user's and are not in the repository.
        (config with { Data = new DataConfig { Augmentation = config.Data.Augmentation } }).Validate();
        Assert.Equal("stream", config.Data.Dataset);
        Assert.Single(config.Data.Sources);

        var training = config.Training;
        Assert.Equal(name.StartsWith("clip-aug", StringComparison.Ordinal) ? "clip-aug" : name.Split('-')[0], training.Strategy.Name);
        Assert.Equal("adafactor", training.Optimizer);
        Assert.Equal(new AdafactorConfig(), training.Adafactor);
        Assert.Equal(0.9, training.Adafactor!.Momentum);
        Assert.Equal(0.999, training.Adafactor.Beta2Cap);
        Assert.Equal(1e-3, training.LearningRate);
        Assert.Equal(0, training.MinLearningRateRatio);
        Assert.Equal(1e-4, training.WeightDecay);
        Assert.Equal("big_vision", training.WeightDecayConvention);
        Assert.Equal(training.Strategy is FlipStrategyConfig ? 32_768 : 16_384, training.BatchSize);
        Assert.Equal(3_400_000_000, training.SamplesSeen);
        // Warm-up is not reported by the paper: big_vision LiT's max(3% of steps, 100).
        Assert.Equal(Math.Max((int)(0.03 * (training.SamplesSeen / training.BatchSize)), 100), training.WarmupSteps);
        Assert.Equal(16, config.Tokenizer.ContextLength);
        if (training.Strategy is FlipStrategyConfig flip) Assert.Equal(0.5, flip.MaskRatio);
        if (training.Strategy is SlipStrategyConfig slip) Assert.Equal((1.0, 4096, 256), (slip.SslScale, slip.MlpDim, slip.EmbedDim));
        // Only CLIP+Aug augments, and it says how in its own record.
        Assert.Equal("none", config.Data.Augmentation);
        Assert.Equal(training.Strategy is ClipAugStrategyConfig ? "stacked-randaug" : "none", training.Strategy.ImageTextAugmentation(config.Data.Augmentation));

        // The towers: 224 px, and the text tower fixed at ViT-B (width 768, depth 12, 12 heads).
        var model = config.ResolveModel(config.Tokenizer.Load());
        Assert.Equal(224, model.Vision.ImageSize);
        Assert.Equal((768, 12, 12, 16), (model.Text.Width, model.Text.Depth, model.Text.Heads, model.Text.ContextLength));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public void PresetDiffersFromTheReferenceOnlyInItsLever(string name)
    {
        var differences = Differences(Node(Load("clip-vit-b-32")), Node(Load(name))).ToList();
        string[] allowed = name switch
        {
            "slip-vit-b-32" => ["training.strategy", "training.slip"],
            "flip-vit-b-32" => ["training.strategy", "training.flip", "training.batchSize", "training.warmupSteps"],
            "clip-aug-vit-b-32" => ["training.strategy", "data.augmentation"],
            _ => ["model"],
        };
        if (name != "clip-vit-b-32") Assert.NotEmpty(differences);
        Assert.All(differences, key => Assert.Contains(allowed, a => key == a || key.StartsWith(a + ".", StringComparison.Ordinal)));
    }

    [Fact]
    public void PresetComputeMatchesWhatCliplabModelsReports()
    {
        var (code, stdout, stderr) = CliProcess.RunSeparately("models", "--kind", "clip", "--json");
        Assert.True(code == 0, stderr);
        var reported = JsonSerializer.Deserialize<List<ModelCostSummary>>(stdout)!.ToDictionary(m => m.Name);
        foreach (string name in PresetNames())
        {
            var config = Load(name);
            var model = config.ResolveModel(config.Tokenizer.Load());
            var row = reported[config.Model];
            var image = model.Vision.Cost(model.EmbedDim);
            var text = model.Text.Cost(model.EmbedDim);
            // The shipped tokenizer has the registry's vocabulary, so the parameter count is the listed one.
            Assert.Equal(row.Parameters, image.Parameters + text.Parameters + ClipModel.TemperatureParameters);
            Assert.Equal(row.GMacs, (image.Macs + text.Macs) / 1e9, 6);
            double listed = row.TrainingGflopsPerSample!.Value;
            Assert.Equal(listed, TrainingCompute.FlopsPerSample(model) / 1e9, 6);

            // What a run of the preset counts per sample: CLIP and CLIP+Aug exactly the listed figure; FLIP less (half the
            // patch tokens, the text tower unchanged); SLIP more (two extra image-tower passes and the SimCLR head).
            var strategy = TrainingStrategy.Create(config.Training, model);
            double perSample = strategy.Cost.FlopsPerSample / 1e9;
            double textOnly = TrainingCompute.FlopsPerSample(new TowerCost(0, 0, 0, 0), text) / 1e9;
            switch (config.Training.Strategy.Name)
            {
                case "clip" or "clip-aug":
                    Assert.Equal(listed, perSample, 6);
                    break;
                case "flip":
                    Assert.InRange(perSample, textOnly + 0.45 * (listed - textOnly), textOnly + 0.55 * (listed - textOnly));
                    break;
                case "slip":
                    Assert.True(perSample > listed + 2 * (listed - textOnly), $"SLIP {perSample} GFLOPs per sample, CLIP {listed}");
                    break;
            }
        }
    }

    private static RunConfig Load(string name) => ConfigJson.Load<RunConfig>(Path.Combine(PresetFolder(), name + ".json"));

    private static JsonNode Node(RunConfig config) => JsonNode.Parse(ConfigJson.Serialize(config))!;

    private static IEnumerable<string> Differences(JsonNode? a, JsonNode? b, string path = "")
    {
        if (a is JsonObject x && b is JsonObject y)
        {
            foreach (string key in x.Select(p => p.Key).Union(y.Select(p => p.Key)))
                foreach (var d in Differences(x[key], y[key], path.Length == 0 ? key : $"{path}.{key}")) yield return d;
            yield break;
        }
        if ((a?.ToJsonString() ?? "null") != (b?.ToJsonString() ?? "null")) yield return path;
    }
}
