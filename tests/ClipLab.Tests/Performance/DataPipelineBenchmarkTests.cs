using ClipLab.Data;
using ClipLab.Imaging;
using ClipLab.Performance;
using Xunit;

namespace ClipLab.Tests.Performance;

public sealed class DataPipelineBenchmarkTests
{
    [Fact]
    public void Run_MeasuresEveryConfigurationOnTheImagesItIsGiven()
    {
        // The library benchmark takes its images from the caller (the CLI passes the Tux Paint stamps of ClipLab.Corpus),
        // so it runs on any samples: 12 synthetic gradients here, each read once when the shards are written.
        var work = Directory.CreateTempSubdirectory("cliplab-bench-data-");
        try
        {
            int read = 0;
            var samples = Enumerable.Range(0, 100).Select(i =>
            {
                read++;
                var image = new RgbImage(40, 30);
                for (int p = 0; p < image.Pixels.Length; p++) image.Pixels[p] = (byte)(p * (i + 1) % 251);
                return new RawSample($"s{i:D3}", "png", ImageEncoder.EncodePng(image), $"a gradient number {i}");
            });

            var results = DataPipelineBenchmark.Run(work.FullName, samples, images: 12, repeats: 1, workerCounts: [1], size: 16);

            Assert.Equal(12, read);
            Assert.Equal(2 * DataPipelineBenchmark.Pipelines.Count, results.Count);
            Assert.Equal(["jpeg", "png"], results.Select(r => r.Format).Distinct().Order());
            Assert.All(results, r => Assert.Equal(12, r.Images));
            Assert.All(results, r => Assert.True(r.ImagesPerSecond > 0));
            // A second run finds the shards and never reads the images.
            DataPipelineBenchmark.Run(work.FullName, samples.Select<RawSample, RawSample>(_ => throw new InvalidOperationException("read again")),
                images: 12, repeats: 1, workerCounts: [1], size: 16);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
