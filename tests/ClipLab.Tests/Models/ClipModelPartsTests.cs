using ClipLab.Losses;
using ClipLab.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

/// <summary>The optional parts of a CLIP model: SigLIP's logit bias and SLIP's SimCLR head.</summary>
public sealed class ClipModelPartsTests
{
    [Fact]
    public void PlainClipModelHasNeitherBiasNorHead_SoCheckpointsOfClipRunsKeepTheirKeys()
    {
        using var model = ModelRegistry.Create(TinyModels.Clip());
        Assert.Null(model.LogitBias);
        Assert.Null(model.SimClrHead);
        var keys = model.state_dict().Keys.ToList();
        Assert.DoesNotContain("logit_bias", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("image_mlp", StringComparison.Ordinal));
        Assert.Contains("logit_scale", keys);
    }

    [Fact]
    public void LogitBiasIsAParameterWithItsInitialValue_SavedAndLoaded()
    {
        var config = TinyModels.Clip() with { InitLogitScale = SigLipLoss.InitLogitScale, InitLogitBias = SigLipLoss.InitLogitBias };
        using var model = ModelRegistry.Create(config);
        Assert.NotNull(model.LogitBias);
        Assert.Equal(-10.0, model.LogitBias!.item<float>(), 6);
        Assert.Equal(Math.Log(10), model.LogitScale.item<float>(), 5);
        Assert.Contains(model.ParameterGroups(), g => g.Name == "logit_bias" && !g.Decay);

        string file = Path.Combine(TinyRuns.TempDirectory(), "model.bin");
        using (torch.no_grad()) model.LogitBias.fill_(-3.5);
        model.save(file);
        using var loaded = ModelRegistry.Create(config);
        loaded.load(file, strict: true);
        Assert.Equal(-3.5, loaded.LogitBias!.item<float>(), 6);
    }

    [Fact]
    public void SimClrHeadMapsAViewThroughTheSharedTowerToTheHeadWidth()
    {
        torch.manual_seed(51);
        var config = TinyModels.Clip() with { SimClrHead = new SimClrHeadConfig { HiddenDim = 16, OutputDim = 8 } };
        using var model = ModelRegistry.Create(config);
        using var scope = torch.NewDisposeScope();
        var views = torch.rand(5, 3, 16, 16) * 2 - 1;
        var output = model.EncodeSimClrView(views);
        Assert.Equal(new long[] { 5, 8 }, output.shape);
        output.sum().backward();
        // The head reads the trunk's features (vision width 32), not the 24-wide projected embedding, as SLIP's code.
        Assert.Equal(32, model.SimClrHead!.InputDim);
        Assert.Equal(config.Vision.TrunkWidth, model.SimClrHead.InputDim);
        Assert.NotEqual(config.EmbedDim, model.SimClrHead.InputDim);
        // Three linear layers with biases and two BatchNorms, counted as the config counts them.
        long headParameters = model.SimClrHead.parameters().Sum(p => p.numel());
        Assert.Equal(config.SimClrHead!.Parameters(config.Vision.TrunkWidth), headParameters);
        // SLIP's state-dict names.
        Assert.Contains("image_mlp.layer1.weight", model.state_dict().Keys);
        Assert.Contains("image_mlp.bn2.running_var", model.state_dict().Keys);
        Assert.Contains("image_mlp.layer3.bias", model.state_dict().Keys);
    }

    [Fact]
    public void SimClrGradientReachesEveryTrunkParameter_ButNotTheClipProjection()
    {
        torch.manual_seed(52);
        var config = TinyModels.Clip() with { SimClrHead = new SimClrHeadConfig { HiddenDim = 16, OutputDim = 8 } };
        using var model = ModelRegistry.Create(config);
        model.train();
        using var scope = torch.NewDisposeScope();
        var first = model.EncodeSimClrView(torch.rand(5, 3, 16, 16) * 2 - 1);
        var second = model.EncodeSimClrView(torch.rand(5, 3, 16, 16) * 2 - 1);
        ClipLab.Losses.SimClrLoss.Compute(first, second, 0.1).backward();

        foreach (var (name, parameter) in model.Visual.named_parameters())
        {
            if (name == "proj.weight")
            {
                Assert.True(parameter.grad is null || parameter.grad.abs().sum().ToDouble() == 0, "the SimCLR loss reached the CLIP projection");
                continue;
            }

            Assert.True(parameter.grad is not null && parameter.grad.abs().sum().ToDouble() > 0, $"trunk parameter '{name}' got no SimCLR gradient");
        }

        Assert.Contains(model.Visual.named_parameters(), p => p.name == "proj.weight");
        Assert.True(model.Text.parameters().All(p => p.grad is null));
    }

    [Fact]
    public void EncodingASimClrViewWithoutAHeadExplains()
    {
        using var model = ModelRegistry.Create(TinyModels.Clip());
        using var scope = torch.NewDisposeScope();
        var ex = Assert.Throws<InvalidOperationException>(() => model.EncodeSimClrView(torch.zeros(2, 3, 16, 16)));
        Assert.Contains("slip", ex.Message);
    }
}
