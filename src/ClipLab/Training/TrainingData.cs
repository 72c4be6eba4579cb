using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Loading;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Training;

/// <summary>Opens the training batches a run config asks for.</summary>
public static class TrainingData
{
    /// <summary>In-memory Fashion-MNIST tensors, or the parallel streaming loader over <c>data.sources</c>.</summary>
    /// <exception cref="ConfigException">The augmentation does not fit the model.</exception>
    public static TrainingBatches Open(RunConfig config, ClipModelConfig model, ClipTokenizer tokenizer)
    {
        var data = config.Data;
        int size = model.Vision.ImageSize;
        if (data.Dataset == "fashion-mnist")
        {
            var pairs = FashionMnistPairs.ForTraining(data, tokenizer, size);
            return new InMemoryBatches(pairs, config.Training.BatchSize, model.Vision.Channels, config.Training.Seed);
        }
        if (model.Vision.Channels != 3)
            throw new ConfigException("modelConfig.vision.channels", model.Vision.Channels, "3 for streaming data (images are decoded as RGB)");
        Imaging.ImagePipeline pipeline;
        try { pipeline = ImagePipelineTransform.Resolve(data.Augmentation, size); }
        catch (ArgumentException ex) { throw new ConfigException($"invalid 'data.augmentation': {ex.Message}", ex); }
        var source = data.OpenSources();
        var bad = new BadSampleCounter(data.MaxBadFraction);
        var options = new LoaderOptions(config.Training.BatchSize, size, data.Workers, data.PrefetchBatches, (ulong)config.Training.Seed);
        var loader = new ImageTextLoader(source, ImagePipelineTransform.Create(pipeline), tokenizer, options, bad);
        return new StreamingBatches(loader, bad, source.Count);
    }
}
