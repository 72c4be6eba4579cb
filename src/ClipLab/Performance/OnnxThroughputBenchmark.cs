using System.Diagnostics;
using ClipLab.Inference;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Performance;

/// <summary>Image-embedding throughput of one model through TorchSharp and through ONNX Runtime on the CPU.</summary>
/// <param name="Model">The model's name.</param>
/// <param name="Images">Images embedded per timed run.</param>
/// <param name="BatchSize">Images per encoder call.</param>
/// <param name="Runs">Timed runs per runtime (medians reported).</param>
/// <param name="Threads">Intra-op threads of both runtimes.</param>
/// <param name="TorchSharpImagesPerSecond">Median images/s through TorchSharp (no_grad, eval mode).</param>
/// <param name="OnnxRuntimeImagesPerSecond">Median images/s through ONNX Runtime.</param>
public sealed record OnnxThroughputResult(string Model, int Images, int BatchSize, int Runs, int Threads,
    double TorchSharpImagesPerSecond, double OnnxRuntimeImagesPerSecond)
{
    /// <summary>ONNX Runtime throughput over TorchSharp throughput.</summary>
    public double Speedup => OnnxRuntimeImagesPerSecond / TorchSharpImagesPerSecond;
}

/// <summary>
/// Times the image encoder alone (preprocessed pixels in, unit-norm embeddings out; decoding excluded) through the
/// TorchSharp model and its ONNX export, on the same random pixels, alternating the two runtimes run by run after one
/// untimed warm-up each, so a slow patch of a shared machine hits both.
/// </summary>
public static class OnnxThroughputBenchmark
{
    /// <summary>Runs the benchmark; the caller sets both runtimes' thread counts (reported as <paramref name="threads"/>).</summary>
    public static OnnxThroughputResult Run(string name, ClipModel model, ClipOnnxModel onnx, int images, int batchSize, int runs, int threads,
        Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onnx);
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var vision = model.Config.Vision;
        long perImage = (long)vision.Channels * vision.ImageSize * vision.ImageSize;
        var rng = new Random(0);
        var batches = new List<float[]>();
        for (int start = 0; start < images; start += batchSize)
        {
            var batch = new float[Math.Min(batchSize, images - start) * perImage];
            for (long i = 0; i < batch.LongLength; i++) batch[i] = (float)(rng.NextDouble() * 2 - 1);
            batches.Add(batch);
        }

        using var noGrad = no_grad();
        model.eval();
        void TorchPass()
        {
            foreach (var batch in batches)
            {
                using var scope = NewDisposeScope();
                var count = batch.LongLength / perImage;
                model.EncodeImage(torch.tensor(batch).reshape(count, vision.Channels, vision.ImageSize, vision.ImageSize));
            }
        }

        void OnnxPass()
        {
            foreach (var batch in batches) onnx.EmbedPixels(batch, (int)(batch.LongLength / perImage));
        }

        TorchPass();
        OnnxPass();
        var torchRates = new List<double>();
        var onnxRates = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            torchRates.Add(images / Time(TorchPass));
            onnxRates.Add(images / Time(OnnxPass));
            log?.Invoke($"run {run + 1}/{runs}: TorchSharp {torchRates[^1]:F0} images/s, ONNX Runtime {onnxRates[^1]:F0} images/s");
        }

        return new OnnxThroughputResult(name, images, batchSize, runs, threads, Statistics.Median(torchRates), Statistics.Median(onnxRates));
    }

    private static double Time(Action pass)
    {
        var watch = Stopwatch.StartNew();
        pass();
        return watch.Elapsed.TotalSeconds;
    }
}
