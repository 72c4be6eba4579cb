using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Text;
using Xunit;

namespace ClipLab.Tests.Data;

public class RandomSubsetTests
{
    [Fact]
    public void SubsetIsUniqueSortedSeededAndNotTheFirstN()
    {
        var subset = RandomSubset.Indices(60_000, 1000, seed: 0);
        Assert.Equal(1000, subset.Length);
        Assert.Equal(1000, subset.Distinct().Count());
        Assert.Equal(subset.Order(), subset);
        Assert.All(subset, i => Assert.InRange(i, 0, 59_999));
        Assert.Equal(subset, RandomSubset.Indices(60_000, 1000, seed: 0));
        Assert.NotEqual(subset, RandomSubset.Indices(60_000, 1000, seed: 1));
        Assert.NotEqual(Enumerable.Range(0, 1000), subset);
        // Spread over the whole set, not clustered at its start.
        Assert.True(subset.Max() > 50_000 && subset.Min() < 1000);
    }

    [Fact]
    public void SubsetsOfOneSeedAreNested()
    {
        var small = RandomSubset.Indices(10_000, 500, seed: 4);
        var large = RandomSubset.Indices(10_000, 2000, seed: 4);
        Assert.Empty(small.Except(large));
        Assert.Equal(Enumerable.Range(0, 30), RandomSubset.Indices(30, 100, seed: 4));
    }

    [Fact]
    public void TrainingPairsUseTheSubsetsImagesWithTheirOwnLabelsAndCaptions()
    {
        var tokenizer = ClipTokenizer.LoadDefault();
        using var pairs = FashionMnistPairs.ForTraining(tokenizer, 28, root: null, captionSeed: 1234, captionsPerImage: 1, trainSubset: 200, subsetSeed: 9);
        var source = FashionMnist.Load(FashionMnistSplit.Train);
        var chosen = RandomSubset.Indices(source.Count, 200, 9);
        Assert.Equal(200, pairs.Count);
        Assert.Equal(chosen.Select(i => source.Labels[i]), pairs.ImageLabels!);
        // Image 17 of the subset holds the source's pixels of its index.
        var stored = pairs.Images[17].flatten().data<byte>().ToArray();
        Assert.Equal(source.Image(chosen[17]).ToArray(), stored);
        // An image's caption does not depend on which subset it is in.
        using var all = FashionMnistPairs.Build(source, FashionMnistCaptions.Load(), tokenizer, 28, new DataConfig().CaptionSeed, 1, chosen.Take(20).ToArray());
        Assert.Equal(all.Captions[17], pairs.Captions[17]);
    }
}
