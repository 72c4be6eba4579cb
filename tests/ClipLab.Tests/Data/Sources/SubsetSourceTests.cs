using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using Xunit;

namespace ClipLab.Tests.Data.Sources;

public class SubsetSourceTests
{
    private static readonly SourcePartition[] FourSlices =
        [.. from rank in new[] { 0, 1 } from worker in new[] { 0, 1 } select new SourcePartition(rank, 2, worker, 2)];

    private static HashSet<string> Keys(ISampleSource source, SourcePartition partition, int epoch = 0, ulong seed = 7) =>
        source.Read(partition, epoch, seed, new BadSampleCounter(1.0)).Select(s => s.Key).ToHashSet();

    /// <summary>A tab-separated table of <paramref name="rows"/> rows, all pointing at one fake JPEG.</summary>
    private static CsvSource Csv(TempFolder temp, int rows)
    {
        File.WriteAllBytes(temp.File("x.jpg"), FakeImages.Jpeg(1));
        File.WriteAllLines(temp.File("t.tsv"), ["filepath\ttitle", .. Enumerable.Range(0, rows).Select(i => $"x.jpg\tcaption {i}")]);
        return new CsvSource(new CsvSourceOptions(temp.File("t.tsv")) { Shuffle = true });
    }

    [Fact]
    public void CsvSubset_HasExactlyNRows_NestedAcrossSizes_AndIsAPureFunctionOfTheSeed()
    {
        using var temp = new TempFolder();
        var csv = Csv(temp, 300);
        HashSet<string>? smaller = null;
        foreach (int n in new[] { 20, 75, 150, 299 })
        {
            var subset = new SubsetSource(csv, n, seed: 4);
            Assert.True(subset.IsExact);
            Assert.Equal(n, subset.Count);
            var keys = Keys(subset, SourcePartition.All);
            Assert.Equal(n, keys.Count);
            if (smaller is not null) Assert.Superset(smaller, keys); // nested: every smaller subset lies inside
            smaller = keys;

            // Same seed → same subset, from a source opened anew, in every epoch and under any read seed.
            var again = new SubsetSource(Csv(temp, 300), n, seed: 4);
            Assert.Equal(keys, Keys(again, SourcePartition.All, epoch: 3, seed: 99));
        }

        var otherSeed = Keys(new SubsetSource(csv, 75, seed: 5), SourcePartition.All);
        Assert.Equal(75, otherSeed.Count);
        Assert.NotEqual(Keys(new SubsetSource(csv, 75, seed: 4), SourcePartition.All), otherSeed);
        // A size beyond the table is all of it.
        Assert.Equal(300, new SubsetSource(csv, 1000, seed: 4).Count);
    }

    [Fact]
    public void CsvSubset_SplitsAcrossRanksAndWorkers_EachSampleOnce()
    {
        using var temp = new TempFolder();
        var subset = new SubsetSource(Csv(temp, 200), 64, seed: 1);
        var whole = Keys(subset, SourcePartition.All);
        var perSlice = FourSlices.Select(p => Keys(subset, p, epoch: 2)).ToList();
        Assert.Equal(64, perSlice.Sum(k => k.Count));
        Assert.Equal(whole, perSlice.SelectMany(k => k).ToHashSet());
    }

    [Fact]
    public void WebDatasetSubset_IsNestedDeterministic_AndNearNFromTheManifestTotal()
    {
        using var temp = new TempFolder();
        const int total = 400;
        string pattern = ShardWriter.WriteAll(FakeImages.Samples(total), temp.Path, "d", perShard: 50).Pattern;
        WebDatasetSource Open() => new(new WebDatasetOptions(pattern) { ShuffleShards = true, ShuffleBuffer = 32 });

        HashSet<string>? smaller = null;
        foreach (int n in new[] { 40, 100, 200, 360 })
        {
            var subset = new SubsetSource(Open(), n, seed: 11);
            Assert.False(subset.IsExact);
            Assert.Equal(n, subset.Count); // the expected size is what the run counts
            var keys = FourSlices.SelectMany(p => Keys(subset, p)).ToHashSet();
            // Each sample kept with probability n/total: within 4 standard deviations of n.
            double sd = Math.Sqrt(n * (1.0 - (double)n / total));
            Assert.InRange(keys.Count, n - 4 * sd, n + 4 * sd);
            Assert.Equal(keys, Keys(subset, SourcePartition.All, epoch: 5, seed: 3)); // the same samples every epoch
            Assert.Equal(keys, Keys(new SubsetSource(Open(), n, seed: 11), SourcePartition.All));
            if (smaller is not null) Assert.Superset(smaller, keys);
            smaller = keys;
        }
    }

    [Fact]
    public void BadSamplesOutsideTheSubset_AreNeitherReadNorCounted()
    {
        // CSV: every third row names a missing file.
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("x.jpg"), FakeImages.Jpeg(1));
        File.WriteAllLines(temp.File("t.tsv"), ["filepath\ttitle", .. Enumerable.Range(0, 120).Select(i => $"{(i % 3 == 0 ? "gone.jpg" : "x.jpg")}\tcaption {i}")]);
        var subset = new SubsetSource(new CsvSource(new CsvSourceOptions(temp.File("t.tsv"))), 30, seed: 2);
        var bad = new BadSampleCounter(1.0);
        var good = subset.Read(SourcePartition.All, 0, 1, bad).Count();
        Assert.Equal(30, good + bad.Bad);
        int badInSubset = Enumerable.Range(0, 120).Count(i => i % 3 == 0 && subset.Contains(i.ToString("D9")));
        Assert.Equal(badInSubset, bad.Bad);

        // WebDataset: every fourth sample has a blank caption.
        using var shards = new TempFolder();
        var samples = FakeImages.Samples(200).Select((s, i) => i % 4 == 0 ? s with { Caption = " " } : s);
        string pattern = ShardWriter.WriteAll(samples, shards.Path, "d", perShard: 50).Pattern;
        var streamed = new SubsetSource(new WebDatasetSource(new WebDatasetOptions(pattern)), 50, seed: 2);
        var shardBad = new BadSampleCounter(1.0);
        var kept = streamed.Read(SourcePartition.All, 0, 1, shardBad).Select(s => s.Key).ToList();
        Assert.All(kept, key => Assert.True(streamed.Contains(key)));
        int blankInSubset = FakeImages.Samples(200).Where((s, i) => i % 4 == 0 && streamed.Contains(s.Key)).Count();
        Assert.Equal(blankInSubset, shardBad.Bad);
        Assert.Equal(FakeImages.Samples(200).Count(s => streamed.Contains(s.Key)), kept.Count + shardBad.Bad);
    }

    [Fact]
    public void WebDatasetWithoutAManifest_CannotBeSubsetAndSaysWhy()
    {
        using var temp = new TempFolder();
        var written = ShardWriter.WriteAll(FakeImages.Samples(30), temp.Path, "d", perShard: 10);
        File.Delete(written.ManifestPath);
        var ex = Assert.Throws<InvalidOperationException>(() => new SubsetSource(new WebDatasetSource(new WebDatasetOptions(written.Pattern)), 10, 0));
        Assert.Contains("manifest.json", ex.Message);
        Assert.Contains("data.trainSubset", ex.Message);
    }

    [Fact]
    public void TheRankIsTheSameFunctionOfSeedAndKeyEverywhere()
    {
        // Pinned values (computed outside .NET from SplitMix64 and FNV-1a): a change of the hash would silently change
        // every subset drawn so far, and the hash must not depend on the process (string.GetHashCode does).
        Assert.Equal(2769260856969933914UL, SubsetSource.Rank(0, "s000001"));
        Assert.Equal(7227531105217426653UL, SubsetSource.Rank(3, "000000042"));
        Assert.NotEqual(SubsetSource.Rank(0, "s000001"), SubsetSource.Rank(1, "s000001"));
        Assert.NotEqual(SubsetSource.Rank(0, "s000001"), SubsetSource.Rank(0, "s000002"));
    }
}
