using ClipLab.Data;
using ClipLab.Data.Sources;
using Xunit;

namespace ClipLab.Tests.Data.Sources;

public class MixtureSourceTests
{
    [Fact]
    public void DrawsRespectWeightsAndAreDeterministic()
    {
        var mixture = new MixtureSource([new WeightedSource(new ListSource("a", 10_000), 3), new WeightedSource(new ListSource("b", 10_000), 1)]);
        List<string> Draw(int epoch) => mixture.Read(SourcePartition.All, epoch, 11, new BadSampleCounter()).Take(4000).Select(s => s.Key).ToList();
        var keys = Draw(0);
        int fromA = keys.Count(k => k.StartsWith('a'));
        Assert.InRange(fromA, 2880, 3120); // expected 3000, σ ≈ 27
        Assert.Equal(keys, Draw(0));
        Assert.NotEqual(keys, Draw(1));
    }

    [Fact]
    public void ContinuesWithTheRestWhenOneIsExhausted()
    {
        var mixture = new MixtureSource([new WeightedSource(new ListSource("a", 5), 100), new WeightedSource(new ListSource("b", 50), 1)]);
        Assert.Equal(55, mixture.Count);
        var keys = mixture.Read(SourcePartition.All, 0, 1, new BadSampleCounter()).Select(s => s.Key).ToList();
        Assert.Equal(55, keys.Distinct().Count());
        Assert.All(keys.Take(3), k => Assert.StartsWith("a", k)); // heavy weight first
    }

    [Fact]
    public void RejectsEmptyAndNonPositiveWeights()
    {
        Assert.Throws<ArgumentException>(() => new MixtureSource([]));
        var ex = Assert.Throws<ArgumentException>(() => new MixtureSource([new WeightedSource(new ListSource("a", 1), 0)]));
        Assert.Contains("weight", ex.Message);
    }
}
