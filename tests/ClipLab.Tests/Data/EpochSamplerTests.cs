using ClipLab.Data;
using Xunit;

namespace ClipLab.Tests.Data;

public class EpochSamplerTests
{
    [Fact]
    public void EachEpochVisitsEverySampleOnce()
    {
        var sampler = new EpochSampler(100, seed: 3);
        var seen = new List<long>();
        for (long s = 0; s < 300; s += 30) seen.AddRange(sampler.Batch(s, 30));
        for (int epoch = 0; epoch < 3; epoch++)
            Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), seen.Skip(epoch * 100).Take(100).Order());
        Assert.NotEqual(seen.Take(100), seen.Skip(100).Take(100)); // reshuffled each epoch
    }

    [Fact]
    public void OrderIsAPureFunctionOfSeedAndPosition()
    {
        var a = new EpochSampler(50, 1);
        var b = new EpochSampler(50, 1);
        _ = a.Batch(0, 40);
        Assert.Equal(a.Batch(130, 16), b.Batch(130, 16));
        Assert.NotEqual(new EpochSampler(50, 2).Batch(0, 16), b.Batch(0, 16));
    }
}
