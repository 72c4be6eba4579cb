using ClipLab.Evaluation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class ZeroShotClassificationTests
{
    [Fact]
    public void PerfectAndPermutedClassifiers()
    {
        int classes = 10, perClass = 5;
        int[] labels = Enumerable.Range(0, classes * perClass).Select(i => i % classes).ToArray();
        using var images = torch.eye(classes).index_select(0, torch.tensor(labels.Select(l => (long)l).ToArray()));
        using var classifier = torch.eye(classes);
        var perfect = ZeroShotClassification.Score(images, classifier, labels);
        Assert.Equal(1.0, perfect.Top1);
        Assert.Equal(1.0, perfect.Top5);

        // Classifier rows rolled by one: top-1 is always wrong, but the true class still has the
        // second-highest score (0 ties with the rest), so top-5 depends on tie order; check top-1 only.
        using var rolled = torch.roll(classifier, 1, 0);
        var wrong = ZeroShotClassification.Score(images, rolled, labels);
        Assert.Equal(0.0, wrong.Top1);
    }

    [Fact]
    public void Top5CountsNearMisses()
    {
        // Scores make the true class rank 3rd of 10.
        var image = torch.tensor(new float[] { 0.9f, 0.8f, 0.7f, 0, 0, 0, 0, 0, 0, 0 }).unsqueeze(0);
        var r = ZeroShotClassification.Score(image, torch.eye(10), new[] { 2 });
        Assert.Equal(0.0, r.Top1);
        Assert.Equal(1.0, r.Top5);
    }
}
