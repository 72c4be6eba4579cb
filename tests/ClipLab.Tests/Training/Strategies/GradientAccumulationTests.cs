using ClipLab.Configuration;
using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Tests.Models;
using ClipLab.Training;
using ClipLab.Training.Strategies;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Training.Strategies;

public class GradientAccumulationTests
{
    private static TrainingBatch Batch(int b)
    {
        var images = torch.rand(b, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [b, 8], dtype: ScalarType.Int64);
        tokens[.., 6] = torch.tensor(TinyModels.EndOfText);
        return new TrainingBatch(images, tokens);
    }

    private static (double Loss, Dictionary<string, float[]> Gradients) Gradients(ClipModel model, TrainingStrategy strategy, StepInputs inputs, int microBatches)
    {
        model.zero_grad();
        var values = GradientAccumulation.Backward(model, strategy, inputs, microBatches);
        var gradients = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        return (values.Total, gradients);
    }

    [Theory]
    [InlineData("clip", "clip", 4)]
    [InlineData("clip", "siglip", 4)]
    [InlineData("clip", "siglip", 2)]
    [InlineData("flip", "clip", 4)]
    public void AccumulatedGradientsEqualThoseOfTheFullBatch(string strategyName, string loss, int microBatches)
    {
        torch.manual_seed(81);
        var config = TinyModels.Clip();
        if (loss == "siglip") config = config with { InitLogitScale = SigLipLoss.InitLogitScale, InitLogitBias = SigLipLoss.InitLogitBias };
        using var model = ModelRegistry.Create(config);
        model.train();
        var training = new TrainingConfig { Strategy = StrategyConfig.Named(strategyName), Loss = LossConfig.Named(loss) };
        var strategy = TrainingStrategy.Create(training, config);
        using var scope = torch.NewDisposeScope();
        // Inputs are fixed once (FLIP's masks included), as the trainer does before either path.
        var inputs = strategy.Prepare(Batch(16), finalPhase: false);

        var (fullLoss, full) = Gradients(model, strategy, inputs, 1);
        var (accumulatedLoss, accumulated) = Gradients(model, strategy, inputs, microBatches);

        Assert.Equal(fullLoss, accumulatedLoss, 5);
        Assert.Equal(full.Keys.Order(), accumulated.Keys.Order());
        foreach (var (name, expected) in full)
        {
            var actual = accumulated[name];
            double scale = Math.Max(expected.Max(Math.Abs), 1e-8);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-4 * scale + 1e-7,
                    $"{name}[{i}]: full-batch gradient {expected[i]:G6}, accumulated {actual[i]:G6}");
        }
        // The temperature (and bias) gradient is counted once, not once per micro-batch.
        Assert.True(full["logit_scale"][0] != 0);
    }

    [Fact]
    public void MicroBatchesThatDoNotDivideTheBatchAreAConfigError()
    {
        var ex = Assert.Throws<ConfigException>(() => new RunConfig { Training = new TrainingConfig { BatchSize = 64, AccumulationSteps = 3 } }.Validate());
        Assert.Contains("training.accumulationSteps", ex.Message);
    }
}
