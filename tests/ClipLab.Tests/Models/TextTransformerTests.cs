using Xunit;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Tests.Models;

public sealed class TextTransformerTests
{
    private static Tensor Tokens(params long[][] rows) => torch.tensor(rows.SelectMany(r => r).ToArray(), dtype: ScalarType.Int64)
        .view(rows.Length, rows[0].Length);

    [Fact]
    public void Forward_ReturnsBatchByEmbedDim()
    {
        torch.manual_seed(5);
        using var text = new TextTransformer(TinyModels.Text(), embedDim: 24);
        using var scope = torch.NewDisposeScope();
        var output = text.call(torch.randint(4, 40, [6, 8], dtype: ScalarType.Int64));
        Assert.Equal(new long[] { 6, 24 }, output.shape);
        Assert.Equal(24, text.OutputDim);
    }

    [Fact]
    public void EndOfTextIndex_FirstEotOrLastPosition()
    {
        torch.manual_seed(6);
        using var text = new TextTransformer(TinyModels.Text(), 24);
        using var scope = torch.NewDisposeScope();
        var idx = text.EndOfTextIndex(Tokens([1, 3, 0, 3], [5, 6, 7, 8], [3, 4, 4, 4]));
        Assert.Equal(new long[] { 1, 3, 0 }, idx.data<long>().ToArray());
    }

    [Fact]
    public void Pooling_IgnoresTokensAfterEot_ButNotBefore()
    {
        torch.manual_seed(7);
        using var text = new TextTransformer(TinyModels.Text(), 24);
        using var scope = torch.NewDisposeScope();
        var baseline = text.call(Tokens([1, 10, 11, 12, 3, 0, 0, 0]));
        var changedAfter = text.call(Tokens([1, 10, 11, 12, 3, 20, 21, 22]));
        var changedBefore = text.call(Tokens([1, 10, 15, 12, 3, 0, 0, 0]));
        Assert.True(torch.allclose(baseline, changedAfter, rtol: 1e-5, atol: 1e-6));
        Assert.False(torch.allclose(baseline, changedBefore, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void RowWithoutEot_PoolsAtLastPosition()
    {
        torch.manual_seed(8);
        using var text = new TextTransformer(TinyModels.Text(), 24);
        using var scope = torch.NewDisposeScope();
        var baseline = text.call(Tokens([5, 6, 7, 8, 9, 10, 11, 12]));
        var changedLast = text.call(Tokens([5, 6, 7, 8, 9, 10, 11, 13]));
        Assert.False(torch.allclose(baseline, changedLast, rtol: 1e-3, atol: 1e-4));
    }

    [Fact]
    public void ShorterSequence_ThanContext_IsAccepted_LongerIsRejected()
    {
        torch.manual_seed(9);
        using var text = new TextTransformer(TinyModels.Text(), 24);
        using var scope = torch.NewDisposeScope();
        Assert.Equal(new long[] { 1, 24 }, text.call(Tokens([1, 2, 3])).shape);
        Assert.Throws<ArgumentException>(() => text.call(torch.zeros(1, 9, dtype: ScalarType.Int64)));
    }
}
