using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Data.Loading;
using ClipLab.Imaging.Pipeline;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Training;

/// <summary>Opens the training batches a run config asks for.</summary>
public static class TrainingData
{
    /// <summary>
    /// In-memory Fashion-MNIST tensors, or the parallel streaming loader over <c>data.sources</c>; either way images go
    /// through the strategy's image–text pipeline (<c>data.augmentation</c>, or <c>clip-aug</c>'s own), and
    /// <paramref name="extraViews"/> (a strategy's request) adds augmented views.
    /// </summary>
    /// <remarks>In a data-parallel job each of <paramref name="worldSize"/> ranks opens its own share of every global batch
    /// of <c>training.batchSize</c>: in memory a consecutive slice of it, when streaming its own shards.</remarks>
    /// <exception cref="ConfigException">An augmentation is invalid or does not fit the model.</exception>
    public static TrainingBatches Open(RunConfig config, ClipModelConfig model, ClipTokenizer tokenizer, ImageViewRequest? extraViews = null,
        int rank = 0, int worldSize = 1)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(model);
        var data = config.Data;
        string augmentation = config.Training.Strategy.ImageTextAugmentation(data.Augmentation);
        string augmentationKey = augmentation == data.Augmentation ? "data.augmentation" : "training.strategy.augmentation";
        int size = model.Vision.ImageSize;
        var viewPipelines = extraViews is null
            ? []
            : Enumerable.Repeat(ResolvePipeline(extraViews.Augmentation, size, extraViews.ConfigKey), extraViews.Count).ToArray();
        if (data.Dataset == "fashion-mnist")
        {
            var pairs = FashionMnistPairs.ForTraining(tokenizer, size, data.Root, data.CaptionSeed, data.CaptionsPerImage, data.TrainSubset, data.SubsetSeed);
            // The plain preset is a resize to the size the images are already stored at: skip it, keep the fast tensor path.
            var main = augmentation is "none" or "train" ? null : ResolvePipeline(augmentation, size, augmentationKey);
            var augmenter = main is null && viewPipelines.Length == 0
                ? null
                : new StoredImageAugmenter(main, viewPipelines, (ulong)config.Training.Seed);
            return new InMemoryBatches(pairs, config.Training.BatchSize, model.Vision.Channels, config.Training.Seed, augmenter, rank, worldSize);
        }
        if (model.Vision.Channels != 3)
            throw new ConfigException("modelConfig.vision.channels", model.Vision.Channels, "3 for streaming data (images are decoded as RGB)");
        var pipeline = ResolvePipeline(augmentation, size, augmentationKey);
        var source = TrainingSources.Open(data);
        var bad = new BadSampleCounter(data.MaxBadFraction);
        var options = new LoaderOptions(config.Training.BatchSize / worldSize, size, data.Workers, data.PrefetchBatches, (ulong)config.Training.Seed,
            Rank: rank, WorldSize: worldSize, ImageViews: 1 + viewPipelines.Length);
        var loader = new ImageTextLoader(source, ImagePipelineTransform.Create(pipeline, viewPipelines), tokenizer, options, bad);
        return new StreamingBatches(loader, bad, source.Count);
    }

    private static ImagePipeline ResolvePipeline(string augmentation, int size, string key)
    {
        try { return ImagePipelineTransform.Resolve(augmentation, size); }
        catch (ArgumentException ex) { throw new ConfigException($"invalid '{key}': {ex.Message}", ex); }
    }
}
