using ClipLab.Data;
using Xunit;

namespace ClipLab.Tests.Data;

public class BadSampleCounterTests
{
    [Fact]
    public void SamplesLostAtOnceCountAsManyAndGoodSamplesLowerTheUsableFraction()
    {
        var bad = new BadSampleCounter(maxBadFraction: 1);
        Assert.Equal(1.0, bad.GoodFraction);
        bad.CountBad(SkipReason.TruncatedArchive, "a.tar:k7.png (cut)", "a.tar", samples: 53);
        for (int i = 0; i < 347; i++) bad.CountGood();
        Assert.Equal(53, bad.Bad);
        Assert.Equal(53, bad.ByReason[SkipReason.TruncatedArchive]);
        Assert.Equal(347.0 / 400, bad.GoodFraction);
        Assert.Throws<ArgumentOutOfRangeException>(() => bad.CountBad(SkipReason.CorruptImage, "x", samples: 0));
    }

    [Fact]
    public void ALossBeforeTheMinimumStopsTheRunOnceTheMinimumIsReached()
    {
        // 30 samples lost in the first shard, before the fraction is enforced: good samples alone must still trip it.
        var bad = new BadSampleCounter(maxBadFraction: 0.1, minSamples: 100);
        bad.CountBad(SkipReason.TruncatedArchive, "a.tar (cut)", "a.tar", samples: 30);
        for (int i = 0; i < 69; i++) bad.CountGood();
        var ex = Assert.Throws<BadDataException>(bad.CountGood);
        Assert.Contains("30 of 100 samples (30.0%)", ex.Message);
        Assert.Equal(SkipReason.TruncatedArchive, ex.Reason);
    }

    [Fact]
    public void TheStopMessageNamesTheWorstFilesWithTheirReasonsOnOneLine()
    {
        var bad = new BadSampleCounter(maxBadFraction: 0.05, minSamples: 10);
        for (int i = 0; i < 100; i++) bad.CountGood();
        bad.CountBad(SkipReason.CorruptImage, "b.tar:1.jpg", "b.tar");
        bad.CountBad(SkipReason.EmptyCaption, "c.tar:1.txt", "c.tar");
        bad.CountBad(SkipReason.CorruptImage, "b.tar:2.jpg", "b.tar");
        bad.CountBad(SkipReason.EmptyCaption, "b.tar:3.txt", "b.tar");
        bad.CountBad(SkipReason.NotAnImage, "d.tar:1.jpg", "d.tar");
        var ex = Assert.Throws<BadDataException>(() => bad.CountBad(SkipReason.TruncatedArchive, "a.tar:9.png (cut)", "a.tar", samples: 4));

        Assert.Equal(["a.tar", "b.tar", "c.tar"], ex.WorstFiles.Select(f => f.File));
        Assert.Contains("Worst files: a.tar: 4 (truncated tar shard: 4); b.tar: 3 (corrupt image: 2, empty caption: 1); c.tar: 1 (empty caption: 1).", ex.Message);
        Assert.DoesNotContain("d.tar", ex.Message.Split("Latest:")[0]);
        Assert.Contains("data.maxBadFraction", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
