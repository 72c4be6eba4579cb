using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Models;
using ClipLab.Text;

namespace ClipLab.Training;

/// <summary>Opens the training batches a run config asks for.</summary>
public static class TrainingData
{
    /// <summary>In-memory Fashion-MNIST tensors, or the streaming loader over <c>data.sources</c>.</summary>
    public static TrainingBatches Open(RunConfig config, ClipModelConfig model, ClipTokenizer tokenizer)
    {
        var data = config.Data;
        if (data.Dataset == "fashion-mnist")
        {
            var pairs = FashionMnistPairs.ForTraining(data, tokenizer, model.Vision.ImageSize);
            return new InMemoryBatches(pairs, config.Training.BatchSize, model.Vision.Channels, config.Training.Seed);
        }
        throw new NotSupportedException("streaming sources are wired in with the WebDataset and imaging work");
    }
}
