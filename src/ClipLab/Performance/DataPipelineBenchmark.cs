using System.Diagnostics;
using ClipLab.Data;
using ClipLab.Data.Loading;
using ClipLab.Data.WebDataset;
using ClipLab.Imaging;
using ClipLab.Imaging.Pipeline;
using ClipLab.Text;

namespace ClipLab.Performance;

/// <summary>One measured configuration of <see cref="DataPipelineBenchmark"/>.</summary>
/// <param name="Format">Shard image format (jpeg or png).</param>
/// <param name="Pipeline">Image pipeline spec.</param>
/// <param name="Workers">Loader threads.</param>
/// <param name="ImagesPerSecond">Median throughput over the repeats.</param>
/// <param name="Images">Images per repeat.</param>
public sealed record DataPipelineMeasurement(string Format, string Pipeline, int Workers, double ImagesPerSecond, int Images)
{
    /// <summary>Throughput per loader thread.</summary>
    public double ImagesPerSecondPerWorker => ImagesPerSecond / Workers;
}

/// <summary>
/// Measures the streaming loader (tar read, decode, augment, tokenise, batch) on real photos and drawings:
/// the Tux Paint stamps, re-encoded as ~256 px JPEG and PNG shards, pushed through
/// <c>random_resized_crop(64)|flip</c> with and without <c>randaug(2,9)</c>, for 1 and 2 workers.
/// </summary>
public static class DataPipelineBenchmark
{
    /// <summary>The two pipelines measured (64 px output).</summary>
    public static readonly IReadOnlyList<string> Pipelines = new[]
    {
        "random_resized_crop(64)|flip|value_range(-1,1)",
        "random_resized_crop(64)|flip|randaug(2,9)|value_range(-1,1)",
    };

    /// <summary>
    /// Builds the shards in <paramref name="workDirectory"/> (once) from the first <paramref name="images"/> of
    /// <paramref name="photos"/> and measures every configuration at an output side of <paramref name="size"/> pixels: 64
    /// (the CPU models) or 224 (what a GPU's ViT-B/32 step eats).
    /// </summary>
    /// <param name="workDirectory">Where the JPEG and PNG shard sets are written, or found from an earlier run.</param>
    /// <param name="photos">
    /// The images to re-encode (the CLI passes the Tux Paint stamps from ClipLab.Corpus); enumerated only when the
    /// shards are not there yet.
    /// </param>
    /// <param name="images">Images per shard set.</param>
    /// <param name="repeats">Timed passes per configuration; the median is reported.</param>
    /// <param name="workerCounts">Loader thread counts to measure (1 and 2 by default).</param>
    /// <param name="log">Progress lines.</param>
    /// <param name="size">Output side in pixels.</param>
    public static IReadOnlyList<DataPipelineMeasurement> Run(string workDirectory, IEnumerable<RawSample> photos, int images = 600, int repeats = 3,
        IReadOnlyList<int>? workerCounts = null, Action<string>? log = null, int size = 64)
    {
        ArgumentNullException.ThrowIfNull(photos);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        log ??= _ => { };
        workerCounts ??= new[] { 1, 2 };
        var shards = new Dictionary<string, string>
        {
            ["jpeg"] = Path.Combine(workDirectory, "jpeg"),
            ["png"] = Path.Combine(workDirectory, "png"),
        };
        if (!File.Exists(Path.Combine(shards["png"], ShardManifest.FileName)))
        {
            log($"Preparing {images} images as 256 px JPEG and PNG shards in {workDirectory} ...");
            WriteShards(photos, images, shards);
        }
        var tokenizer = ClipTokenizer.LoadDefault();
        var results = new List<DataPipelineMeasurement>();
        foreach (var (format, folder) in shards)
        foreach (string spec in Pipelines.Select(p => p.Replace("(64)", $"({size})", StringComparison.Ordinal)))
        foreach (int workers in workerCounts)
        {
            log($"{format}, {workers} worker(s), {spec} ...");
            var pipeline = ImagePipeline.Parse(spec);
            var shardFiles = Directory.GetFiles(folder, "bench-*.tar").Order(StringComparer.Ordinal).ToList();
            var source = new WebDatasetSource(new WebDatasetOptions(shardFiles) { ShuffleShards = true });
            var loader = new ImageTextLoader(source, ImagePipelineTransform.Create(pipeline), tokenizer,
                new LoaderOptions(BatchSize: 50, ImageSize: size, Workers: workers, PrefetchBatches: 4), new BadSampleCounter(0.0, long.MaxValue));
            var rates = new List<double>();
            int count = 0;
            for (int r = 0; r < repeats + 1; r++)
            {
                var watch = Stopwatch.StartNew();
                count = loader.Epoch(r).Sum(b => b.Count);
                if (r > 0) rates.Add(count / watch.Elapsed.TotalSeconds); // the first pass warms up the JIT and caches
            }
            rates.Sort();
            results.Add(new DataPipelineMeasurement(format, spec, workers, rates[rates.Count / 2], count));
        }
        return results;
    }

    private static void WriteShards(IEnumerable<RawSample> samples, int images, Dictionary<string, string> shards)
    {
        var photos = samples.Take(images).Select(sample =>
        {
            var image = ImageDecoder.Decode(sample.Image);
            // ~256 px: shorter side 256, centre square, like the web images img2dataset stores at small sizes.
            var square = ImagePipeline.Parse("resize(256)|center_crop(256)").Augment(image, new Random(0));
            return (sample, square);
        }).ToList();
        int perShard = (photos.Count + 5) / 6;
        ShardWriter.WriteAll(photos.Select(p => p.sample with { ImageExtension = "jpg", Image = ImageEncoder.EncodeJpeg(p.square, 90) }),
            shards["jpeg"], "bench", perShard);
        ShardWriter.WriteAll(photos.Select(p => p.sample with { ImageExtension = "png", Image = ImageEncoder.EncodePng(p.square) }),
            shards["png"], "bench", perShard);
    }
}
