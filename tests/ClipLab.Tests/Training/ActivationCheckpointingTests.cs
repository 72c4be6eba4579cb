using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Tests.Models;
using ClipLab.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Training;

public class ActivationCheckpointingTests
{
    private static (Tensor Images, Tensor Tokens) Batch(int b)
    {
        var images = torch.rand(b, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [b, 8], dtype: ScalarType.Int64);
        tokens[.., 6] = torch.tensor(TinyModels.EndOfText);
        return (images, tokens);
    }

    private static (float Loss, Dictionary<string, float[]> Gradients) LossAndGradients(ClipModel model, Tensor images, Tensor tokens)
    {
        using var scope = torch.NewDisposeScope();
        model.zero_grad();
        var (image, text) = model.call(images, tokens);
        var loss = ContrastiveLoss.Compute(image, text, model.LogitScale);
        loss.backward();
        return (loss.item<float>(), model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray()));
    }

    [Fact]
    public void CheckpointedBlocksGiveTheSameLossAndGradients()
    {
        torch.manual_seed(101);
        using var model = ModelRegistry.Create(TinyModels.Clip());
        model.train();
        using var scope = torch.NewDisposeScope();
        var (images, tokens) = Batch(6);

        var (plainLoss, plain) = LossAndGradients(model, images, tokens);
        Assert.Equal(4, model.SetActivationCheckpointing(true)); // 2 ViT blocks + 2 text blocks
        var (checkpointedLoss, checkpointed) = LossAndGradients(model, images, tokens);

        Assert.Equal(plainLoss, checkpointedLoss, 6);
        foreach (var (name, expected) in plain)
        {
            var actual = checkpointed[name];
            double scale = Math.Max(expected.Max(Math.Abs), 1e-8);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5 * scale + 1e-8,
                    $"{name}[{i}]: plain gradient {expected[i]:G6}, checkpointed {actual[i]:G6}");
        }
    }

    [Fact]
    public void TheBackwardRecomputesEachBlockOnce()
    {
        torch.manual_seed(102);
        using var model = ModelRegistry.Create(TinyModels.Clip());
        using var scope = torch.NewDisposeScope();
        var (images, tokens) = Batch(4);
        double Measure()
        {
            using var counter = MacCounter.Attach(model);
            var (image, text) = model.call(images, tokens);
            ContrastiveLoss.Compute(image, text, model.LogitScale).backward();
            return counter.ByOperation["linear"];
        }

        double plain = Measure();
        model.SetActivationCheckpointing(true);
        double checkpointed = Measure();
        // The blocks' linear layers run twice; only the projections outside the blocks run once.
        var vit = (VisionTransformerConfig)TinyModels.Clip().Vision;
        double projections = 4 * TinyModels.Clip().EmbedDim * (vit.Width + TinyModels.Text().Width);
        Assert.Equal(2 * (plain - projections) + projections, checkpointed, 3);
        // Without gradients (evaluation) nothing is recomputed.
        using (torch.no_grad())
        using (var counter = MacCounter.Attach(model))
        {
            model.call(images, tokens);
            Assert.Equal(plain, counter.ByOperation["linear"], 3);
        }
    }

    [Fact]
    public void ATrainingRunWithCheckpointingAndAccumulationLowersTheLoss()
    {
        var baseline = TinyRuns.Config(samples: 64 * 30);
        var config = baseline with { Training = baseline.Training with { ActivationCheckpointing = true, AccumulationSteps = 2 } };
        var losses = new List<double>();
        using var trainer = new Trainer(config, TinyRuns.TempDirectory());
        trainer.Run(p => losses.Add(p.Loss));
        Assert.True(losses.Skip(25).Average() < losses.Take(5).Average() - 0.1,
            $"loss did not fall: first {losses.Take(5).Average():F3}, last {losses.Skip(25).Average():F3}");
    }
}
