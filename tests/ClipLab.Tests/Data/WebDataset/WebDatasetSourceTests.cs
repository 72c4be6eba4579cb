using System.Text;
using ClipLab.Data;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Tests.Data.Sources;
using Xunit;

namespace ClipLab.Tests.Data.WebDataset;

public class WebDatasetSourceTests
{
    private static readonly SourcePartition[] FourSlices =
        [.. from rank in new[] { 0, 1 } from worker in new[] { 0, 1 } select new SourcePartition(rank, 2, worker, 2)];

    private static (TempFolder Folder, string Pattern) Shards(int samples, int perShard)
    {
        var temp = new TempFolder();
        return (temp, ShardWriter.WriteAll(FakeImages.Samples(samples), temp.Path, "d", perShard).Pattern);
    }

    private static List<string> Keys(ISampleSource source, SourcePartition partition, int epoch, ulong seed, BadSampleCounter? bad = null) =>
        source.Read(partition, epoch, seed, bad ?? new BadSampleCounter()).Select(s => s.Key).ToList();

    [Fact]
    public void EverySampleExactlyOncePerEpochAcrossRanksAndWorkers()
    {
        var (temp, pattern) = Shards(103, 10); // 11 shards, the last one short
        using var _ = temp;
        var source = new WebDatasetSource(new WebDatasetOptions(pattern) { ShuffleShards = true, ShuffleBuffer = 16 });
        var all = FakeImages.Samples(103).Select(s => s.Key).Order().ToList();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var perSlice = FourSlices.Select(p => Keys(source, p, epoch, 42)).ToList();
            Assert.All(perSlice, keys => Assert.NotEmpty(keys));
            Assert.Equal(all, perSlice.SelectMany(k => k).Order().ToList());
        }
    }

    [Fact]
    public void OrderIsDeterministicPerSeedAndEpochAndChangesAcrossEpochs()
    {
        var (temp, pattern) = Shards(60, 6);
        using var _ = temp;
        var options = new WebDatasetOptions(pattern) { ShuffleShards = true, ShuffleBuffer = 8 };
        var a = new WebDatasetSource(options);
        var b = new WebDatasetSource(options);
        var p = new SourcePartition(0, 1, 1, 2);
        Assert.Equal(Keys(a, p, 3, 7), Keys(b, p, 3, 7));
        Assert.NotEqual(Keys(a, p, 3, 7), Keys(a, p, 4, 7));
        Assert.NotEqual(Keys(a, p, 3, 7), Keys(a, p, 3, 8));
        Assert.Equal(Keys(a, p, 3, 7).Order(), Keys(a, p, 3, 7).Order());
    }

    [Fact]
    public void ResampledYieldsSamplesPerEpochAndRepeats()
    {
        var (temp, pattern) = Shards(20, 5);
        using var _ = temp;
        var source = new WebDatasetSource(new WebDatasetOptions(pattern) { Resampled = true, SamplesPerEpoch = 201 });
        Assert.Equal(201, source.Count);
        var perSlice = FourSlices.Select(p => Keys(source, p, 0, 5)).ToList();
        Assert.Equal([51, 50, 50, 50], perSlice.Select(k => k.Count));
        Assert.True(perSlice[0].Distinct().Count() < perSlice[0].Count); // 51 draws from 20 samples must repeat
        Assert.Equal(perSlice[1], Keys(source, FourSlices[1], 0, 5));
        // Endless without an epoch length.
        var endless = new WebDatasetSource(new WebDatasetOptions(pattern) { Resampled = true });
        Assert.Null(endless.Count);
        Assert.Equal(1000, endless.Read(SourcePartition.All, 0, 1, new BadSampleCounter()).Take(1000).Count());
    }

    [Fact]
    public void SamplesPerEpochWithoutResamplingWrapsAroundToTheExactShare()
    {
        var (temp, pattern) = Shards(20, 5);
        using var _ = temp;
        var source = new WebDatasetSource(new WebDatasetOptions(pattern) { SamplesPerEpoch = 30, ShuffleShards = true });
        var perSlice = FourSlices.Select(p => Keys(source, p, 0, 5)).ToList();
        Assert.Equal([8, 8, 7, 7], perSlice.Select(k => k.Count));
    }

    [Fact]
    public void FewerShardsThanSlicesIsAClearError()
    {
        var (temp, pattern) = Shards(9, 3);
        using var _ = temp;
        var source = new WebDatasetSource(new WebDatasetOptions(pattern));
        var ex = Assert.Throws<InvalidOperationException>(() => source.Read(FourSlices[0], 0, 1, new BadSampleCounter()));
        Assert.Contains("3 shard(s)", ex.Message);
        Assert.Contains("4 readers", ex.Message);
    }

    /// <summary>Writes <paramref name="samples"/> in shards of <paramref name="perShard"/> and cuts shard <paramref name="cut"/> in half (a real truncated tar file).</summary>
    private static (TempFolder Folder, ShardWriterResult Result) ShardsWithOneCut(int samples, int perShard, int cut, bool keepManifest)
    {
        var temp = new TempFolder();
        var result = ShardWriter.WriteAll(FakeImages.Samples(samples), temp.Path, "d", perShard);
        byte[] bytes = File.ReadAllBytes(result.ShardPaths[cut]);
        File.WriteAllBytes(result.ShardPaths[cut], bytes[..(bytes.Length / 2)]);
        if (!keepManifest) File.Delete(result.ManifestPath);
        return (temp, result);
    }

    [Fact]
    public void ATruncatedShardCountsEverySampleItLostFromItsManifestAndOtherShardsStillRead()
    {
        var (temp, result) = ShardsWithOneCut(samples: 30, perShard: 10, cut: 1, keepManifest: true);
        using var _ = temp;
        var bad = new BadSampleCounter(maxBadFraction: 1);
        var keys = Keys(new WebDatasetSource(new WebDatasetOptions(result.Pattern)), SourcePartition.All, 0, 1, bad);

        int readFromCut = keys.Count(k => string.CompareOrdinal(k, "s000010") >= 0 && string.CompareOrdinal(k, "s000020") < 0);
        Assert.InRange(readFromCut, 2, 8); // half the shard survives, less the sample it broke in
        Assert.Equal(10 - readFromCut, bad.ByReason[SkipReason.TruncatedArchive]);
        Assert.Equal(30, keys.Count + bad.Bad); // every listed sample is either read or counted as lost
        Assert.Contains("of the 10 samples its manifest lists are lost", bad.Summary());
        Assert.Contains(FakeImages.Samples(30).Skip(20).Select(s => s.Key), k => keys.Contains(k)); // shard 2 read
        Assert.Equal(keys.Count, keys.Distinct().Count());
        var worst = Assert.Single(bad.WorstFiles(3));
        Assert.Equal(result.ShardPaths[1], worst.File);
    }

    [Fact]
    public void WithoutAManifestTheLossOfATruncatedShardIsEstimatedFromItsSize()
    {
        var (temp, result) = ShardsWithOneCut(samples: 200, perShard: 40, cut: 2, keepManifest: false);
        using var _ = temp;
        var bad = new BadSampleCounter(maxBadFraction: 1);
        var keys = Keys(new WebDatasetSource(new WebDatasetOptions(result.Pattern)), SourcePartition.All, 0, 1, bad);

        long lost = bad.ByReason[SkipReason.TruncatedArchive];
        long reallyLost = 200 - keys.Count;
        Assert.InRange(reallyLost, 15, 25);
        // Bytes the shard lacks against the median shard, over the mean bytes per sample read: close to the truth.
        Assert.InRange(lost, reallyLost - 2, reallyLost + 2);
        Assert.Contains("estimated without a manifest", bad.Summary());
    }

    [Fact]
    public void AShardTruncatedOnItsOwnWithoutAManifestCountsAtLeastTheSampleItBrokeIn()
    {
        var (temp, result) = ShardsWithOneCut(samples: 10, perShard: 10, cut: 0, keepManifest: false);
        using var _ = temp;
        var bad = new BadSampleCounter(maxBadFraction: 1);
        Keys(new WebDatasetSource(new WebDatasetOptions(result.Pattern)), SourcePartition.All, 0, 1, bad);
        Assert.Equal(1, bad.ByReason[SkipReason.TruncatedArchive]);
        Assert.Contains("the rest is unknown", bad.Summary());
    }

    [Fact]
    public void TheBadDataThresholdSeesTheSamplesATruncatedShardLost()
    {
        // One cut shard of three loses about 5 of 30 samples: more than 10%, though it is a single bad "event".
        var (temp, result) = ShardsWithOneCut(samples: 30, perShard: 10, cut: 1, keepManifest: true);
        using var _ = temp;
        var bad = new BadSampleCounter(maxBadFraction: 0.1, minSamples: 10);
        var source = new WebDatasetSource(new WebDatasetOptions(result.Pattern));
        // Good samples are counted as the loader counts them, one by one as they arrive.
        var ex = Assert.Throws<BadDataException>(() => source.Read(SourcePartition.All, 0, 1, bad).Select(s => { bad.CountGood(); return s; }).ToList());
        Assert.Equal(SkipReason.TruncatedArchive, ex.Reason);
        Assert.Contains("truncated tar shard", ex.Message);
        Assert.Equal(result.ShardPaths[1], Assert.Single(ex.WorstFiles).File);
    }

    [Fact]
    public void AMissingShardCountsTheSamplesItShouldHold()
    {
        var (temp, pattern) = Shards(10, 5);
        using var _ = temp;
        var bad = new BadSampleCounter(maxBadFraction: 1);
        // Listed in the manifest, then deleted: the manifest says what was lost.
        File.Delete(temp.File("d-00001.tar"));
        var keys = Keys(new WebDatasetSource(new WebDatasetOptions(pattern)), SourcePartition.All, 0, 1, bad);
        Assert.Equal(5, keys.Count);
        Assert.Equal(5, bad.ByReason[SkipReason.UnreadableFile]);
        Assert.Contains("d-00001.tar", bad.Summary());
    }

    [Fact]
    public void BadSamplesAreCountedByReasonAndSkipped()
    {
        using var temp = new TempFolder();
        string shard = temp.File("bad.tar");
        using (var tar = new TarWriter(File.Create(shard)))
        {
            tar.WriteFile("good1.jpg", FakeImages.Jpeg(1));
            tar.WriteFile("good1.txt", "a good one"u8);
            tar.WriteFile("nocap.jpg", FakeImages.Jpeg(2));
            tar.WriteFile("noimg.txt", "lonely caption"u8);
            tar.WriteFile("blank.png", FakeImages.Png(3));
            tar.WriteFile("blank.txt", " \n\t "u8);
            tar.WriteFile("fake.jpg", Encoding.UTF8.GetBytes("this is text, not a JPEG"));
            tar.WriteFile("fake.txt", "caption of a fake"u8);
            tar.WriteFile("dir/good2.JPEG", FakeImages.Jpeg(4));
            tar.WriteFile("dir/good2.txt", Encoding.UTF8.GetBytes("\uFEFF  second  "));
            tar.WriteFile("dir/good2.json", "{\"w\":1}"u8);
            tar.WriteFile("README", "ignored: no extension"u8);
        }
        var bad = new BadSampleCounter(maxBadFraction: 1);
        var samples = new WebDatasetSource(new WebDatasetOptions(shard)).Read(SourcePartition.All, 0, 1, bad).ToList();

        Assert.Equal(["good1", "dir/good2"], samples.Select(s => s.Key));
        Assert.Equal("second", samples[1].Caption);
        Assert.Equal("jpeg", samples[1].ImageExtension);
        Assert.Equal("{\"w\":1}", samples[1].Json);
        Assert.Equal(new Dictionary<SkipReason, long>
        {
            [SkipReason.NotAnImage] = 1, [SkipReason.EmptyCaption] = 1, [SkipReason.MissingCaption] = 1, [SkipReason.MissingImage] = 1,
        }, bad.ByReason);
        Assert.Contains($"{shard}:nocap.jpg", bad.Summary());
        Assert.Contains($"{shard}:noimg.txt", bad.Summary());
        Assert.Contains($"{shard}:fake.jpg", bad.Summary());
        Assert.Equal(0, bad.Good); // counting good samples is the loader's job
    }

    [Fact]
    public void TooManyBadSamplesStopTheRunNamingShardAndReason()
    {
        using var temp = new TempFolder();
        string shard = temp.File("mostly-bad.tar");
        using (var tar = new TarWriter(File.Create(shard)))
            for (int i = 0; i < 50; i++) tar.WriteFile($"k{i}.jpg", FakeImages.Jpeg(i)); // no captions at all
        var bad = new BadSampleCounter(maxBadFraction: 0.1, minSamples: 10);
        var ex = Assert.Throws<BadDataException>(() => new WebDatasetSource(new WebDatasetOptions(shard)).Read(SourcePartition.All, 0, 1, bad).ToList());
        Assert.Equal(SkipReason.MissingCaption, ex.Reason);
        Assert.Contains("mostly-bad.tar:k", ex.Message);
        Assert.Contains("image without caption", ex.Message);
    }

    [Fact]
    public void CountIsUnknownWithoutManifest()
    {
        var (temp, pattern) = Shards(10, 5);
        using var _ = temp;
        File.Delete(temp.File(ShardManifest.FileName));
        Assert.Null(new WebDatasetSource(new WebDatasetOptions(pattern)).Count);
    }

    [Fact]
    public void SharesSumToTheTotal()
    {
        foreach (long total in new long[] { 0, 1, 3, 4, 5, 1001 })
            Assert.Equal(total, FourSlices.Sum(p => WebDatasetSource.ShareOf(total, p)));
    }
}
