using ClipLab.Evaluation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class ZeroShotClassificationTests
{
    [Fact]
    public void PerfectEmbeddingsScoreOneOnEveryMetric()
    {
        int classes = 10, perClass = 5;
        int[] labels = Enumerable.Range(0, classes * perClass).Select(i => i % classes).ToArray();
        using var images = ConstructedEmbeddings.OneHotRows(classes, labels);
        using var classifier = torch.eye(classes);
        var perfect = ZeroShotClassification.Score(images, classifier, labels);
        Assert.Equal(new ClassificationAccuracy(1, 1, 1, classes * perClass), perfect);
    }

    [Fact]
    public void RolledClassifierIsAlwaysWrongAndTiesDoNotHelp()
    {
        int classes = 10;
        int[] labels = Enumerable.Range(0, 50).Select(i => i % classes).ToArray();
        using var images = ConstructedEmbeddings.OneHotRows(classes, labels);
        using var rolled = torch.roll(torch.eye(classes), 1, 0);
        var wrong = ZeroShotClassification.Score(images, rolled, labels);
        Assert.Equal(0.0, wrong.Top1);
        Assert.Equal(0.0, wrong.MeanPerClass);
        Assert.Equal(0.0, wrong.Top5); // the true class ties with eight others at 0 and ranks below them all
    }

    [Fact]
    public void PermutedLabelsScoreAtChance()
    {
        // Perfect embeddings, but the labels are shuffled across images: every metric falls to chance
        // (top-1 and mean per-class 1/C, top-5 5/C).
        int classes = 10, n = 20_000;
        var rng = new Random(3);
        int[] truth = Enumerable.Range(0, n).Select(i => i % classes).ToArray();
        int[] shuffled = truth.OrderBy(_ => rng.Next()).ToArray();
        using var images = ConstructedEmbeddings.Noisy(ConstructedEmbeddings.OneHotRows(classes, truth), 0.01, seed: 4);
        using var classifier = torch.eye(classes);
        var chance = ZeroShotClassification.Score(images, classifier, shuffled);
        Assert.InRange(chance.Top1, 0.09, 0.11);
        Assert.InRange(chance.MeanPerClass, 0.09, 0.11);
        Assert.InRange(chance.Top5, 0.48, 0.52);
    }

    [Fact]
    public void Top5CountsNearMisses()
    {
        // Scores make the true class rank 3rd of 10.
        using var image = torch.tensor(new float[] { 0.9f, 0.8f, 0.7f, 0.1f, 0, 0, 0, 0, 0, 0 }).unsqueeze(0);
        var r = ZeroShotClassification.Score(image, torch.eye(10), new[] { 2 });
        Assert.Equal(0.0, r.Top1);
        Assert.Equal(1.0, r.Top5);
    }

    [Fact]
    public void MeanPerClassWeighsEveryClassEqually()
    {
        // Class 0 has 9 images, all right; class 1 has 1 image, wrong: top-1 0.9, mean per-class 0.5.
        int[] labels = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        using var logits = torch.tensor(Enumerable.Repeat(new float[] { 1, 0 }, 10).SelectMany(r => r).ToArray()).reshape(10, 2);
        var r = ClassificationAccuracy.Measure(logits, labels);
        Assert.Equal(0.9, r.Top1, 12);
        Assert.Equal(0.5, r.MeanPerClass, 12);
        Assert.Equal(1.0, r.Top5); // only two classes: the true one is always in the top five
    }

    [Fact]
    public void ClassEmbeddingIsTheRenormalisedMeanOfNormalisedPromptEmbeddings()
    {
        // Two prompts of very different norms: normalising first gives each the same say.
        using var prompts = torch.tensor(new float[] { 10, 0, 0, 0, 1, 0 }).reshape(2, 3);
        using var embedding = ZeroShotClassification.EnsembleEmbedding(prompts);
        float h = (float)Math.Sqrt(0.5);
        Assert.Equal(new[] { h, h, 0f }, embedding.data<float>().ToArray(), new FloatTolerance(1e-6f));
    }
}
