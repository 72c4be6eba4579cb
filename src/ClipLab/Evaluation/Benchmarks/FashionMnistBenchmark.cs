using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Evaluation.Features;
using ClipLab.Imaging;
using ClipLab.Imaging.Shifts;
using ClipLab.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Fashion-MNIST as an evaluation benchmark: the 10,000 test images (zero-shot, and the probes' test set), the
/// training images (the probes' training set), the shifted test variants of <see cref="DistributionShiftRegistry"/>,
/// and retrieval on held-out test images with freshly generated captions. Images are resized from 28 px to the
/// model's input size with antialiased bilinear interpolation, exactly as for training, so in-distribution means
/// the same pixels statistics the model was trained on.
/// </summary>
public static class FashionMnistBenchmark
{
    /// <summary>Benchmark name in reports.</summary>
    public const string Name = "fashion-mnist";

    // Bump when the way pixels are produced changes, so cached features made the old way are recomputed.
    private const string RecipeVersion = "v1";

    /// <summary>The classification benchmark.</summary>
    /// <param name="root">Folder of the IDX files (null: the Debian package's).</param>
    /// <param name="imageSize">The model's input size.</param>
    /// <param name="promptSet">Shipped prompt-template set (class names and templates).</param>
    /// <param name="trainImages">Training images for the probes: null for all 60,000, 0 for none, else the first N.</param>
    /// <param name="shifts">Shifted test variants to include.</param>
    public static ClassificationBenchmark Create(string? root, int imageSize, string promptSet, int? trainImages, IReadOnlyList<DistributionShift> shifts)
    {
        ArgumentNullException.ThrowIfNull(shifts);
        var prompts = PromptTemplateSet.LoadShipped(promptSet);
        var test = FashionMnist.Load(FashionMnistSplit.Test, root);
        var labels = test.Labels;
        string testRecipe = $"{Name} test {RecipeVersion}: {labels.Length} images, resize 28→{imageSize} antialiased bilinear";
        var benchmark = new ClassificationBenchmark(Name, prompts,
            new LabeledImageSet($"{Name}/test", testRecipe, labels, () => Resized(test, imageSize)));

        if (trainImages is not 0)
        {
            var train = FashionMnist.Load(FashionMnistSplit.Train, root);
            int n = Math.Min(trainImages ?? train.Count, train.Count);
            var subset = n == train.Count ? train : new FashionMnist(train.Pixels.AsSpan(0, n * FashionMnist.Side * FashionMnist.Side).ToArray(), train.Labels[..n]);
            string trainRecipe = $"{Name} train {RecipeVersion}: first {n} images, resize 28→{imageSize} antialiased bilinear";
            benchmark = benchmark with { Train = new LabeledImageSet($"{Name}/train-{n}", trainRecipe, subset.Labels, () => Resized(subset, imageSize)) };
        }

        benchmark = benchmark with
        {
            Shifts = shifts.Select(shift => new ShiftedTestSet(shift.Name, new LabeledImageSet(
                $"{Name}/test-{shift.Name}",
                $"{testRecipe}; shift {shift.Name} ({shift.Description}), seed {DistributionShiftRegistry.DefaultSeed}, applied at 28 px",
                labels,
                () => Resized(ShiftedFashionMnist.Build(test, shift), imageSize)))).ToArray(),
        };
        return benchmark;
    }

    /// <summary>
    /// Retrieval on the first <see cref="EvaluationConfig.RetrievalImages"/> test images, each with
    /// <see cref="EvaluationConfig.RetrievalCaptionsPerImage"/> captions generated with the held-out seed.
    /// </summary>
    public static RetrievalBenchmark Retrieval(string? root, ClipTokenizer tokenizer, int imageSize, EvaluationConfig evaluation)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(evaluation);
        return new RetrievalBenchmark(Name, () =>
        {
            var test = FashionMnist.Load(FashionMnistSplit.Test, root);
            int n = Math.Min(evaluation.RetrievalImages, test.Count);
            // The captions (and the caption→image map) as the training pairs make them; the images through the feature cache.
            using var pairs = FashionMnistPairs.Build(test, FashionMnistCaptions.Load(), tokenizer, imageSize,
                evaluation.RetrievalCaptionSeed, evaluation.RetrievalCaptionsPerImage, count: n);
            var first = new FashionMnist(test.Pixels.AsSpan(0, n * FashionMnist.Side * FashionMnist.Side).ToArray(), test.Labels[..n]);
            string recipe = $"{Name} retrieval {RecipeVersion}: first {n} test images, resize 28→{imageSize} antialiased bilinear";
            var images = new LabeledImageSet($"{Name}/retrieval-{n}", recipe, first.Labels, () => Resized(first, imageSize));
            return new RetrievalPairs(images, pairs.Captions.ToArray(), pairs.CaptionImage);
        });
    }

    /// <summary>uint8 [N, 1, size, size] of every image of <paramref name="source"/>.</summary>
    private static Tensor Resized(FashionMnist source, int imageSize)
    {
        const int side = FashionMnist.Side;
        using var flat = torch.tensor(source.Pixels, ScalarType.Byte);
        using var raw = flat.reshape(source.Count, 1, side, side);
        return ImageTensors.Resize(raw, imageSize);
    }
}
