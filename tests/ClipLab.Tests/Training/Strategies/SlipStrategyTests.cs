using ClipLab.Configuration;
using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Models.Compute;
using ClipLab.Tests.Models;
using ClipLab.Training;
using ClipLab.Training.Strategies;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Training.Strategies;

public class SlipStrategyTests
{
    private static readonly SlipStrategyConfig Slip = new() { MlpDim = 16, EmbedDim = 8, SslScale = 0.5 };
    private static ClipModelConfig Model => TinyModels.Clip() with { SimClrHead = Slip.Head };

    /// <summary>NT-Xent over 2N views computed with plain loops: each view picks its sibling out of the other 2N − 1.</summary>
    private static double HandNtXent(Tensor first, Tensor second, double tau)
    {
        int n = (int)first.shape[0], d = (int)first.shape[1];
        var rows = new double[2 * n][];
        var a = first.detach().to_type(ScalarType.Float64).data<double>().ToArray();
        var b = second.detach().to_type(ScalarType.Float64).data<double>().ToArray();
        for (int i = 0; i < 2 * n; i++)
        {
            var source = i < n ? a : b;
            int offset = (i % n) * d;
            double norm = Math.Sqrt(Enumerable.Range(0, d).Sum(k => source[offset + k] * source[offset + k]));
            rows[i] = Enumerable.Range(0, d).Select(k => source[offset + k] / norm).ToArray();
        }
        double total = 0;
        for (int i = 0; i < 2 * n; i++)
        {
            int sibling = (i + n) % (2 * n);
            double denominator = 0, positive = 0;
            for (int j = 0; j < 2 * n; j++)
            {
                if (j == i) continue;
                double logit = rows[i].Zip(rows[j], (x, y) => x * y).Sum() / tau;
                denominator += Math.Exp(logit);
                if (j == sibling) positive = logit;
            }
            total += Math.Log(denominator) - positive;
        }
        return total / (2 * n);
    }

    [Fact]
    public void SlipLossIsClipPlusScaledSimClrComputedByHand()
    {
        torch.manual_seed(61);
        using var model = ModelRegistry.Create(Model);
        model.train();
        using var scope = torch.NewDisposeScope();
        var images = torch.rand(6, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [6, 8], dtype: ScalarType.Int64);
        tokens[.., 5] = torch.tensor(TinyModels.EndOfText);
        var views = new[] { torch.rand(6, 3, 16, 16) * 2 - 1, torch.rand(6, 3, 16, 16) * 2 - 1 };
        var strategy = new SlipStrategy(new ImageTextObjective(new ClipLossConfig()), Model, Slip);

        var inputs = strategy.Prepare(new TrainingBatch(images, tokens, views), finalPhase: false);
        var encoded = strategy.Encode(model, inputs);
        var loss = strategy.Loss(model, encoded);

        // The views went through the shared tower and the head; the CLIP view through the tower alone.
        Assert.True(torch.allclose(encoded.Image, model.EncodeImage(images), atol: 1e-6));
        Assert.True(torch.allclose(encoded.Views[0], model.EncodeSimClrView(views[0]), atol: 1e-5));
        double clip = ContrastiveLoss.Compute(encoded.Image, encoded.Text, model.LogitScale).item<float>();
        double simClr = HandNtXent(encoded.Views[0], encoded.Views[1], 0.1);
        Assert.Equal(clip + 0.5 * simClr, loss.Total.item<float>(), 4);
        var terms = loss.Read().Terms.ToDictionary(t => t.Name, t => t.Value);
        Assert.Equal(clip, terms["clip"], 4);
        Assert.Equal(simClr, terms["simclr"], 4);
    }

    [Fact]
    public void SlipCost_IsThreeTrunkPassesOneProjectionTheTextAndTwoHeadPassesOnTheTrunkWidth_CountedByHand()
    {
        var model = Model; // ViT width 32 (the trunk), embedding 24, head 16-16-8
        var image = model.Vision.Cost(model.EmbedDim);
        var text = model.Text.Cost(model.EmbedDim);
        var strategy = new SlipStrategy(new ImageTextObjective(new ClipLossConfig()), model, Slip);

        double projection = 32 * 24;
        double trunk = image.Macs - projection;
        double head = 32 * 16 + 16 * 16 + 16 * 8; // layer1 reads the 32-wide trunk, not the 24-wide embedding
        double expected = 3 * 2 * (3 * trunk + projection + text.Macs + 2 * head);
        Assert.Equal(expected, strategy.Cost.FlopsPerSample, 6);
        Assert.Equal(head, Slip.Head.Macs(model.Vision.TrunkWidth));

        // The paper's convention, reported beside it: 2× CLIP; budgets keep the honest count.
        double clip = 3 * 2 * (image.Macs + text.Macs);
        Assert.Equal(2 * clip, strategy.Cost.PaperConventionFlopsPerSample!.Value, 6);
        Assert.Null(new ClipStrategy(new ClipStrategyConfig(), new ImageTextObjective(new ClipLossConfig()), model).Cost.PaperConventionFlopsPerSample);
    }

    [Fact]
    public void SlipCost_MatchesTheMacsMeasuredOnARealStep()
    {
        torch.manual_seed(5);
        using var model = ModelRegistry.Create(Model);
        model.train();
        using var scope = torch.NewDisposeScope();
        const int batch = 4;
        var images = torch.rand(batch, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [batch, 8], dtype: ScalarType.Int64);
        tokens[.., 5] = torch.tensor(TinyModels.EndOfText);
        var views = new[] { torch.rand(batch, 3, 16, 16) * 2 - 1, torch.rand(batch, 3, 16, 16) * 2 - 1 };
        var strategy = new SlipStrategy(new ImageTextObjective(new ClipLossConfig()), Model, Slip);
        double measured;
        using (var counter = MacCounter.Attach(model))
        {
            strategy.Encode(model, strategy.Prepare(new TrainingBatch(images, tokens, views), finalPhase: false));
            measured = counter.Total / batch;
        }

        double analyticForward = strategy.Cost.FlopsPerSample / (3 * 2);
        Assert.InRange(measured, analyticForward * 0.95, analyticForward * 1.05);
    }

    [Fact]
    public void SlipAsksTheDataForTwoSimClrViews()
    {
        var request = new SlipStrategy(new ImageTextObjective(new ClipLossConfig()), Model, Slip).ExtraViews;
        Assert.Equal(2, request.Count);
        Assert.Equal("simclr", request.Augmentation);
    }
}
