using ClipLab.Data;
using ClipLab.Data.Loading;
using ClipLab.Data.Sources;
using ClipLab.Text;
using Xunit;

namespace ClipLab.Tests.Data.Loading;

public class ImageTextLoaderTests
{
    /// <summary>n samples split across partitions by index; optionally endless; counts how many were read.</summary>
    private sealed class CountingSource(int n, bool endless = false) : ISampleSource
    {
        private long _read;
        public long Read_ => Interlocked.Read(ref _read);
        public string Name => "counting";
        public long? Count => endless ? null : n;

        public IEnumerable<RawSample> Read(SourcePartition partition, int epoch, ulong seed, BadSampleCounter bad, CancellationToken cancellation = default)
        {
            for (long i = partition.Slice; endless || i < n; i += partition.Slices)
            {
                Interlocked.Increment(ref _read);
                string caption = i % 10 == 9 ? "" : $"sample number {i}";
                yield return new RawSample($"k{i}", "png", new[] { (byte)(i % 256) }, caption, Origin: $"mem:{i}");
            }
        }
    }

    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.LoadDefault();

    /// <summary>Fills the image with (first byte + one random draw); rejects bytes ≡ 7 (mod 50) as corrupt.</summary>
    private static bool Transform(RawSample sample, Random rng, Span<float> destination, out SkipReason reason)
    {
        reason = SkipReason.CorruptImage;
        if (sample.Image[0] % 50 == 7) return false;
        destination.Fill(sample.Image[0] + (float)rng.NextDouble());
        return true;
    }

    private static List<HostBatch> Epoch(ISampleSource source, int workers, int epoch = 0, BadSampleCounter? bad = null) =>
        new ImageTextLoader(source, Transform, Tokenizer, new LoaderOptions(BatchSize: 8, ImageSize: 2, Workers: workers, Seed: 5), bad ?? new BadSampleCounter(1.0))
            .Epoch(epoch).ToList();

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryGoodSampleArrivesOncePerEpochAndBadOnesAreCounted(int workers)
    {
        var bad = new BadSampleCounter(1.0);
        var batches = Epoch(new CountingSource(200), workers, bad: bad);
        var keys = batches.SelectMany(b => b.Keys.Take(b.Count)).ToList();
        var expected = Enumerable.Range(0, 200).Where(i => i % 10 != 9 && i % 50 != 7).Select(i => $"k{i}");
        Assert.Equal(expected.Order(), keys.Order());
        Assert.Equal(keys.Count, keys.Distinct().Count());
        Assert.Equal(20, bad.ByReason[SkipReason.EmptyCaption]);
        Assert.Equal(4, bad.ByReason[SkipReason.CorruptImage]);
        Assert.Equal(keys.Count, bad.Good);
        Assert.All(batches, b => Assert.InRange(b.Count, 1, 8));
        var (images, tokens) = batches[0].ToTensors(3, 2);
        Assert.Equal(new long[] { batches[0].Count, 3, 2, 2 }, images.shape);
        Assert.Equal(new long[] { batches[0].Count, 16 }, tokens.shape);
    }

    [Fact]
    public void SameSeedAndWorkersGiveTheSameBatchesAndEpochsDiffer()
    {
        var a = Epoch(new CountingSource(100), 2);
        var b = Epoch(new CountingSource(100), 2);
        Assert.Equal(a.SelectMany(x => x.Keys.Take(x.Count)), b.SelectMany(x => x.Keys.Take(x.Count)));
        Assert.Equal(a.SelectMany(x => x.Images), b.SelectMany(x => x.Images));
        var next = Epoch(new CountingSource(100), 2, epoch: 1);
        Assert.NotEqual(a[0].Images[0], next[0].Images[0]); // augmentation randomness changes per epoch
    }

    [Fact]
    public void TooMuchBadDataStopsTheConsumerWithTheReason()
    {
        var bad = new BadSampleCounter(maxBadFraction: 0.01, minSamples: 50);
        var ex = Assert.Throws<BadDataException>(() => Epoch(new CountingSource(500), 2, bad: bad));
        Assert.Contains("mem:", ex.Message);
    }

    [Fact]
    public void StoppingEarlyEndsWorkersAndPrefetchIsBounded()
    {
        var source = new CountingSource(0, endless: true);
        var loader = new ImageTextLoader(source, Transform, Tokenizer,
            new LoaderOptions(BatchSize: 8, ImageSize: 2, Workers: 2, PrefetchBatches: 2), new BadSampleCounter(1.0));
        var first = loader.Epoch(0).Take(3).ToList(); // disposing the enumerator stops the workers
        Assert.Equal(3, first.Count);
        long afterStop = source.Read_;
        Thread.Sleep(200);
        Assert.Equal(afterStop, source.Read_); // nobody reads any more
        // Consumed: 3 batches. Per worker at most: 2 queued (PrefetchBatches) + 1 blocked in the write + 1 being
        // filled, each of 8 good samples read out of 10 (one in ten has an empty caption) → 40 reads per worker.
        const int consumed = 3 * 8 * 10 / 8, perWorker = (2 + 1 + 1) * 8 * 10 / 8;
        Assert.True(afterStop <= consumed + 2 * perWorker, $"read {afterStop} samples for 3 batches");
    }
}
