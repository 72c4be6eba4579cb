using Xunit;
using ClipLab.Losses;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

public sealed class ClipModelTests
{
    private static (Tensor Images, Tensor Tokens) Batch(int b)
    {
        var images = torch.rand(b, 3, 16, 16) * 2 - 1;
        var tokens = torch.randint(4, 40, [b, 8], dtype: ScalarType.Int64);
        tokens[.., 5] = torch.tensor(TinyModels.EndOfText);
        return (images, tokens);
    }

    [Fact]
    public void Forward_ReturnsUnitNormEmbeddingsOfEmbedDim()
    {
        torch.manual_seed(20);
        using var model = ModelRegistry.Create(TinyModels.Clip());
        using var scope = torch.NewDisposeScope();
        var (images, tokens) = Batch(4);
        var (img, txt) = model.call(images, tokens);
        Assert.Equal(new long[] { 4, 24 }, img.shape);
        Assert.Equal(new long[] { 4, 24 }, txt.shape);
        Assert.True(torch.allclose(img.norm(1), torch.ones(4), atol: 1e-5));
        Assert.True(torch.allclose(txt.norm(1), torch.ones(4), atol: 1e-5));
    }

    [Fact]
    public void Encode_WithoutNormalize_ReturnsRawProjections()
    {
        torch.manual_seed(21);
        using var model = ModelRegistry.Create(TinyModels.Clip());
        using var scope = torch.NewDisposeScope();
        var (images, tokens) = Batch(3);
        var raw = model.EncodeImage(images, normalize: false);
        Assert.True(torch.allclose(raw, model.Visual.call(images)));
        Assert.False(torch.allclose(raw.norm(1), torch.ones(3), atol: 1e-3));
        Assert.True(torch.allclose(nn.functional.normalize(model.EncodeText(tokens, false), dim: -1), model.EncodeText(tokens), atol: 1e-6));
    }

    [Fact]
    public void LogitScale_InitialisedAtLogOneOverPointZeroSeven_AndClamped()
    {
        using var model = ModelRegistry.Create(TinyModels.Clip());
        Assert.Empty(model.LogitScale.shape);
        Assert.Equal(Math.Log(1 / 0.07), model.LogitScale.item<float>(), 5);

        using (torch.no_grad())
        {
            model.LogitScale.fill_(10.0);
        }

        model.ClampLogitScale();
        Assert.Equal(Math.Log(100), model.LogitScale.item<float>(), 5);

        using (torch.no_grad())
        {
            model.LogitScale.fill_(-3.0);
        }

        model.ClampLogitScale();
        Assert.Equal(0.0, model.LogitScale.item<float>(), 6);
        Assert.True(model.LogitScale.requires_grad);
    }

    [Theory]
    [InlineData("token")]
    [InlineData("mean")]
    public void Backward_ReachesEveryParameter(string pool)
    {
        torch.manual_seed(22);
        using var model = ModelRegistry.Create(TinyModels.Clip(pool));
        using var scope = torch.NewDisposeScope();
        var (images, tokens) = Batch(4);
        var (img, txt) = model.call(images, tokens);
        ContrastiveLoss.Compute(img, txt, model.LogitScale).backward();

        foreach (var (name, parameter) in model.named_parameters())
        {
            Assert.True(parameter.grad is not null, $"{name} has no gradient");
            Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }
    }

    [Fact]
    public void ParameterGroups_ExcludeBiasesNormsEmbeddingsAndLogitScaleFromDecay()
    {
        using var model = ModelRegistry.Create(TinyModels.Clip());
        var groups = model.ParameterGroups().ToDictionary(g => g.Name, g => g.Decay);

        Assert.Equal(model.named_parameters().Select(p => p.name).OrderBy(n => n), groups.Keys.OrderBy(n => n));
        foreach (var noDecay in new[]
                 {
                     "logit_scale", "visual.class_embedding", "visual.positional_embedding", "text.token_embedding.weight",
                     "text.positional_embedding", "visual.ln_post.weight", "text.ln_final.bias", "text.resblocks.0.ln_1.weight",
                     "visual.resblocks.1.in_proj.bias", "visual.resblocks.0.c_fc.bias",
                 })
        {
            Assert.False(groups[noDecay], noDecay);
        }

        foreach (var decay in new[]
                 {
                     "visual.conv1.weight", "visual.proj.weight", "text.text_projection.weight", "visual.resblocks.0.in_proj.weight",
                     "text.resblocks.1.out_proj.weight", "text.resblocks.0.c_fc.weight", "visual.resblocks.1.c_proj.weight",
                 })
        {
            Assert.True(groups[decay], decay);
        }

        Assert.All(groups.Where(g => g.Key.EndsWith(".bias", StringComparison.Ordinal) || g.Key.Contains(".ln_", StringComparison.Ordinal)),
            g => Assert.False(g.Value, g.Key));
    }

    [Fact]
    public void Initialisation_IsDeterministicGivenSeed()
    {
        torch.manual_seed(23);
        using var a = ModelRegistry.Create(TinyModels.Clip());
        torch.manual_seed(23);
        using var b = ModelRegistry.Create(TinyModels.Clip());
        torch.manual_seed(24);
        using var c = ModelRegistry.Create(TinyModels.Clip());

        var pb = b.parameters().ToList();
        var pc = c.parameters().ToList();
        var i = 0;
        var anyDifferent = false;
        foreach (var p in a.parameters())
        {
            Assert.True(torch.allclose(p, pb[i], rtol: 0, atol: 0));
            anyDifferent |= !torch.allclose(p, pc[i], rtol: 0, atol: 0);
            i++;
        }

        Assert.True(anyDifferent);
    }

    [Fact]
    public void Initialisation_FollowsClipStandardDeviations()
    {
        torch.manual_seed(25);
        var config = TinyModels.Clip() with { Text = TinyModels.Text() with { VocabSize = 4000, Width = 64, Heads = 4 } };
        using var model = ModelRegistry.Create(config);
        var p = model.named_parameters().ToDictionary(x => x.name, x => x.parameter);
        AssertStd(0.02, p["text.token_embedding.weight"]);
        AssertStd(0.01, p["text.positional_embedding"]);
        AssertStd(Math.Pow(64, -0.5), p["text.resblocks.0.in_proj.weight"]);
        AssertStd(Math.Pow(128, -0.5), p["text.resblocks.0.c_fc.weight"]);
        AssertStd(Math.Pow(64, -0.5) * Math.Pow(2 * 2, -0.5), p["text.resblocks.1.c_proj.weight"]);
        AssertStd(Math.Pow(64, -0.5), p["text.text_projection.weight"]);
        Assert.Equal(0.0, p["text.resblocks.0.in_proj.bias"].abs().max().item<float>());
        Assert.Equal(1.0, p["text.ln_final.weight"].mean().item<float>(), 6);
    }

    private static void AssertStd(double expected, Tensor values)
    {
        var actual = values.std().item<float>();
        Assert.InRange(actual, expected * 0.93, expected * 1.07);
    }

    [Fact]
    public void ModelBuiltInsideDisposeScope_SurvivesScopeDisposal()
    {
        ClipModel model;
        using (torch.NewDisposeScope())
        {
            model = ModelRegistry.Create(TinyModels.Clip());
        }

        using (model)
        using (var scope = torch.NewDisposeScope())
        {
            var (images, tokens) = Batch(2);
            Assert.Equal(new long[] { 2, 24 }, model.call(images, tokens).ImageEmbeddings.shape);
        }
    }
}
