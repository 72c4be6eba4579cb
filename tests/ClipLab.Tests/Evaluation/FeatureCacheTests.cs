using ClipLab.Evaluation.Features;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class FeatureCacheTests
{
    /// <summary>An "encoder" that maps each image to its mean pixel and a constant, counting the images it sees.</summary>
    private sealed class CountingEncoder
    {
        public int Images;

        public Tensor Encode(Tensor images)
        {
            Images += (int)images.shape[0];
            using var x = images.to_type(ScalarType.Float32);
            using var mean = x.mean(new long[] { 1, 2, 3 }).unsqueeze(1);
            using var ones = torch.ones(images.shape[0], 1);
            return torch.cat(new[] { mean, ones }, 1);
        }
    }

    private static LabeledImageSet Set(string key, string recipe, int count = 6, Action? onLoad = null) =>
        new(key, recipe, Enumerable.Range(0, count).Select(i => i % 3).ToArray(), () =>
        {
            onLoad?.Invoke();
            return torch.arange(count * 3 * 4 * 4, ScalarType.Int64).remainder(256).to_type(ScalarType.Byte).reshape(count, 3, 4, 4);
        });

    [Fact]
    public void FeaturesAreComputedOncePerSetAndReusedByLaterTasks()
    {
        var encoder = new CountingEncoder();
        using var cache = new FeatureCache(encoder.Encode, "model-a", directory: null);
        var first = cache.Get(Set("bench/test", "r1"));
        var second = cache.Get(Set("bench/test", "r1"));
        Assert.Same(first.Features, second.Features);
        Assert.Equal(6, encoder.Images);
        Assert.Equal(new FeatureCacheStatistics(6, cache.Statistics.EncodeSeconds, 0, 6), cache.Statistics);

        // The same pixels labeled differently (emoji by group and by subgroup) share the features.
        var relabeled = cache.Get(Set("bench/test", "r1") with { Labels = [2, 2, 2, 1, 1, 1] });
        Assert.Same(first.Features, relabeled.Features);
        Assert.Equal([2, 2, 2, 1, 1, 1], relabeled.Labels);
        Assert.Equal(6, encoder.Images);
    }

    [Fact]
    public void DiskEntriesAreReusedOnlyForTheSameModelAndRecipe()
    {
        string dir = TinyRuns.TempDirectory();
        var encoder = new CountingEncoder();
        float[] expected;
        using (var cache = new FeatureCache(encoder.Encode, "model-a", dir))
            expected = cache.Get(Set("bench/test-sketch", "r1")).Features.data<float>().ToArray();
        Assert.True(File.Exists(Path.Combine(dir, "bench", "test-sketch.features")));

        bool loaded = false;
        using (var cache = new FeatureCache(encoder.Encode, "model-a", dir))
        {
            var again = cache.Get(Set("bench/test-sketch", "r1", onLoad: () => loaded = true));
            Assert.False(loaded, "a disk hit must not load the images");
            Assert.Equal(expected, again.Features.data<float>().ToArray());
            Assert.Equal(6, cache.Statistics.ImagesFromDisk);
            Assert.Equal(0, cache.Statistics.ImagesEncoded);
        }
        using (var cache = new FeatureCache(encoder.Encode, "model-b", dir))
        {
            cache.Get(Set("bench/test-sketch", "r1"));
            Assert.Equal(6, cache.Statistics.ImagesEncoded); // other weights: recomputed
        }
        using (var cache = new FeatureCache(encoder.Encode, "model-b", dir))
        {
            cache.Get(Set("bench/test-sketch", "r2"));
            Assert.Equal(6, cache.Statistics.ImagesEncoded); // other recipe: recomputed
        }
    }

    [Fact]
    public void UnsafeKeysAreRejected()
    {
        using var cache = new FeatureCache(new CountingEncoder().Encode, "m", null);
        Assert.Throws<ArgumentException>(() => cache.Get(Set("../escape", "r")));
        Assert.Throws<ArgumentException>(() => cache.Get(Set("a b", "r")));
    }
}
