using System.Text;
using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Suites;
using ClipLab.Models;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Training;

/// <summary>The trainer's periodic evaluation: <c>evaluation.everySamples</c>, <c>evaluation.suite</c>, <c>evaluation.tasks</c>.</summary>
public class PeriodicEvaluationTests
{
    // Batches of 64 against every 96 samples: the seen counts 64, 128, …, 384 reach or pass a multiple of 96
    // (96, 192, 288, 384) after steps 2, 3, 5 and 6.
    private const int EverySamples = 96;
    private static readonly long[] ExpectedEvaluationSamples = [128, 192, 320, 384];

    private static RunConfig Config(int steps = 6, int checkpointEvery = 100, IReadOnlyList<string>? tasks = null, long? everySamples = EverySamples)
    {
        var config = TinyRuns.Config(samples: 64 * steps, checkpointEvery: checkpointEvery);
        var evaluation = config.Evaluation with { EverySamples = everySamples };
        if (tasks is not null) evaluation = evaluation with { Tasks = tasks };
        return config with { Evaluation = evaluation };
    }

    private static List<JsonElement> Records(string runDirectory, string kind) =>
        File.ReadAllLines(Path.Combine(runDirectory, "metrics.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(record => record.GetProperty("kind").GetString() == kind)
            .ToList();

    private static int Occurrences(byte[] haystack, byte[] needle)
    {
        int count = 0;
        for (int at = haystack.AsSpan().IndexOf(needle); at >= 0;)
        {
            count++;
            int next = haystack.AsSpan(at + 1).IndexOf(needle);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return count;
    }

    [Fact]
    public void EvaluationsAreLoggedWhereSamplesSeenReachAMultipleWithFiniteMetricsInJsonlAndTensorBoard()
    {
        string dir = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(Config(), dir))
            Assert.True(trainer.Run().Completed);

        Assert.Equal(6, Records(dir, "train").Count);
        var evaluations = Records(dir, "eval");
        Assert.Equal(ExpectedEvaluationSamples, evaluations.Select(e => e.GetProperty("samples_seen").GetInt64()));
        Assert.Equal([2L, 3, 5, 6], evaluations.Select(e => e.GetProperty("step").GetInt64()));
        foreach (var evaluation in evaluations)
        {
            Assert.Equal("quick", evaluation.GetProperty("suite").GetString());
            var metrics = evaluation.EnumerateObject().Where(p => p.Name.Contains('/', StringComparison.Ordinal)).ToList();
            // The default tasks: zero-shot and few-shot, not the costly linear probe (nor retrieval).
            Assert.Contains(metrics, m => m.Name == "fashion-mnist/zeroshot/top1");
            Assert.Contains(metrics, m => m.Name == "fashion-mnist/fewshot_5/top1");
            Assert.DoesNotContain(metrics, m => m.Name.Contains("linear_probe", StringComparison.Ordinal) || m.Name.Contains("retrieval", StringComparison.Ordinal));
            foreach (var metric in metrics)
            {
                Assert.Equal(JsonValueKind.Number, metric.Value.ValueKind); // a non-finite value would have been written as null
                Assert.True(double.IsFinite(metric.Value.GetDouble()), metric.Name);
            }
            double top1 = evaluation.GetProperty("fashion-mnist/zeroshot/top1").GetDouble();
            Assert.InRange(top1, 0, 1);
        }

        var events = Directory.GetFiles(Path.Combine(dir, "tensorboard"), "events.out.tfevents.*");
        Assert.NotEmpty(events);
        byte[] eventBytes = events.SelectMany(File.ReadAllBytes).ToArray();
        // Every evaluation's scalars are in the event files (TorchSharp spells an eval tag a fixed number of times per event).
        foreach (string tag in new[] { "eval/fashion-mnist/zeroshot/top1", "eval/fashion-mnist/fewshot_5/top1" })
        {
            int count = Occurrences(eventBytes, Encoding.UTF8.GetBytes(tag));
            Assert.True(count >= ExpectedEvaluationSamples.Length && count % ExpectedEvaluationSamples.Length == 0, $"{tag}: {count}");
        }
    }

    [Fact]
    public void AResumedRunNeitherRepeatsNorSkipsAnEvaluation()
    {
        // Checkpoints after steps 2 and 4. The first session dies right after step 3 (evaluated, not checkpointed):
        // the evaluation at step 2 is in the checkpoint and must not run again; the one at step 3 must run again.
        var config = Config(checkpointEvery: 2, tasks: ["zeroshot"]);
        string dir = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(config, dir))
        {
            var crash = Assert.Throws<IOException>(() => trainer.Run(p => { if (p.Step == 3) throw new IOException("simulated crash"); }));
            Assert.Equal("simulated crash", crash.Message);
        }
        Assert.Equal([128L, 192], Records(dir, "eval").Select(e => e.GetProperty("samples_seen").GetInt64()));

        using (var trainer = new Trainer(config, dir, resume: true))
        {
            Assert.Equal(2, trainer.Step);
            Assert.True(trainer.Run().Completed);
        }
        Assert.Equal(ExpectedEvaluationSamples, Records(dir, "eval").Select(e => e.GetProperty("samples_seen").GetInt64()));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), Records(dir, "train").Select(e => e.GetProperty("step").GetInt64()));
    }

    [Fact]
    public void ABatchNormTowerTrainsAfterAnEvaluationExactlyAsWithoutOne()
    {
        var model = TinyRuns.Model with { Vision = new ResNetConfig { ImageSize = 32, Layers = [1, 1, 1, 1], WidthMultiplier = 0.125 } };
        var withEvaluation = Config(steps: 3, tasks: ["zeroshot"], everySamples: 128) with { ModelConfig = model };
        var without = withEvaluation with { Evaluation = withEvaluation.Evaluation with { EverySamples = null } };

        float[] plainWeights;
        using (var trainer = new Trainer(without, TinyRuns.TempDirectory()))
        {
            trainer.Run();
            plainWeights = TinyRuns.Weights(trainer);
        }

        string dir = TinyRuns.TempDirectory();
        bool? trainingModeAfterEvaluation = null;
        using (var trainer = new Trainer(withEvaluation, dir))
        {
            Assert.Contains(trainer.Model.modules(), m => m is ClipLab.Models.ChannelBatchNorm);
            trainer.Run(p => { if (p.Step == 2) trainingModeAfterEvaluation = trainer.Model.modules().All(m => m.training) && trainer.Model.training; });
            Assert.Equal(plainWeights, TinyRuns.Weights(trainer));
        }
        Assert.Equal([2L], Records(dir, "eval").Select(e => e.GetProperty("step").GetInt64()));
        Assert.True(trainingModeAfterEvaluation);
    }

    [Fact]
    public void InvalidPeriodicEvaluationSettingsAreRefusedNamingTheKeyAndTheChoices()
    {
        static ConfigException Refused(EvaluationConfig evaluation) =>
            Assert.Throws<ConfigException>(() => RunConfigValidation.Validate(TinyRuns.Config() with { Evaluation = evaluation }));

        var ex = Refused(new EvaluationConfig { EverySamples = 0 });
        Assert.Contains("evaluation.everySamples", ex.Message);
        ex = Refused(new EvaluationConfig { Suite = "full" });
        Assert.Contains("evaluation.suite", ex.Message);
        Assert.Contains("quick, paper", ex.Message);
        ex = Refused(new EvaluationConfig { Tasks = ["zeroshot", "probe"] });
        Assert.Contains("evaluation.tasks", ex.Message);
        Assert.Contains("\"probe\"", ex.Message);
        Assert.Contains("zeroshot, linear_probe, fewshot, retrieval", ex.Message);
        ex = Refused(new EvaluationConfig { Tasks = [] });
        Assert.Contains("evaluation.tasks", ex.Message);

        // The trainer refuses such a config before training.
        Assert.Throws<ConfigException>(() => new Trainer(TinyRuns.Config() with { Evaluation = new EvaluationConfig { EverySamples = -5 } }, TinyRuns.TempDirectory()));
    }

    [Fact]
    public void PeriodicEvaluationKeysParseFromJsonAndDefaultToTheQuickSuiteWithZeroShotAndFewShot()
    {
        var defaults = new EvaluationConfig();
        Assert.Null(defaults.EverySamples);
        var options = PeriodicSuite.Options(defaults);
        Assert.Equal("quick", options.Suite.Name);
        Assert.Equal(["zeroshot", "fewshot"], options.Tasks);
        Assert.Null(options.FeatureCacheDirectory);

        var config = ConfigJson.Parse<RunConfig>("""{ "evaluation": { "everySamples": 50000, "suite": "paper", "tasks": ["zeroshot", "linear-probe", "retrieval"] } }""");
        config.Validate();
        Assert.Equal(50_000, config.Evaluation.EverySamples);
        options = PeriodicSuite.Options(config.Evaluation);
        Assert.Equal("paper", options.Suite.Name);
        // The old spelling "linear-probe" is accepted and becomes the canonical task name.
        Assert.Equal(["zeroshot", "linear_probe", "retrieval"], options.Tasks);

        var misspelt = Assert.Throws<ConfigException>(() => ConfigJson.Parse<RunConfig>("""{ "evaluation": { "evrySamples": 5 } }"""));
        Assert.Contains("evaluation.evrySamples", misspelt.Message);
    }
}
