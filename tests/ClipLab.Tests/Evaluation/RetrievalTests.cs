using ClipLab.Evaluation;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace ClipLab.Tests.Evaluation;

public class RetrievalTests
{
    private static Tensor OneHot(int n, int[] rows) => torch.eye(n).index_select(0, torch.tensor(rows.Select(r => (long)r).ToArray()));

    [Fact]
    public void PerfectEmbeddingsWithSeveralCaptionsPerImageScoreOne()
    {
        // 4 images, 3 captions each; each caption embeds exactly like its image.
        int[] owner = Enumerable.Range(0, 12).Select(i => i / 3).ToArray();
        using var images = torch.eye(4);
        using var texts = OneHot(4, owner);
        var r = Retrieval.Score(images, texts, owner);
        Assert.Equal(new RecallAtK(1, 1, 1), r.ImageToText);
        Assert.Equal(new RecallAtK(1, 1, 1), r.TextToImage);
        Assert.Equal(4, r.Images);
        Assert.Equal(12, r.Texts);
    }

    [Fact]
    public void AnyCaptionCountsForImageToText()
    {
        // Image 0's first caption leans towards image 1, its second matches image 0: still an R@1 hit for image 0.
        int[] owner = { 0, 0, 1, 1 };
        using var images = torch.eye(2);
        using var texts = torch.tensor(new float[] { 0.6f, 0.8f, 1, 0, 0, 1, 0, 1 }).reshape(4, 2);
        var r = Retrieval.Score(images, texts, owner);
        Assert.Equal(1.0, r.ImageToText.R1);
        Assert.Equal(0.75, r.TextToImage.R1); // caption 0 retrieves the wrong image
    }

    [Fact]
    public void PermutedEmbeddingsScoreAtChanceAndConstantOnesAreNotRewarded()
    {
        int n = 20;
        int[] owner = Enumerable.Range(0, n).ToArray();
        int[] shifted = owner.Select(i => (i + 1) % n).ToArray();
        using var images = torch.eye(n);
        using var wrong = OneHot(n, shifted);
        var r = Retrieval.Score(images, wrong, owner);
        Assert.Equal(0.0, r.ImageToText.R1);
        Assert.Equal(0.0, r.TextToImage.R10);

        using var constant = torch.ones(n, 4) / 2;
        var tied = Retrieval.Score(constant, constant, owner);
        Assert.Equal(0.0, tied.ImageToText.R10); // all ties rank the positive last
    }

    [Fact]
    public void RecallAtKFollowsTheRank()
    {
        // Caption scores for image 0: its own caption ranks third among 12.
        int n = 12;
        int[] owner = Enumerable.Range(0, n).ToArray();
        var sim = torch.eye(n) * 0.5f;
        sim[0, 5] = torch.tensor(0.9f);
        sim[0, 6] = torch.tensor(0.8f);
        // Build embeddings whose dot products are `sim`: images = sim rows, texts = identity.
        var r = Retrieval.Score(sim, torch.eye(n), owner);
        Assert.Equal(11.0 / 12, r.ImageToText.R1, 9);
        Assert.Equal(1.0, r.ImageToText.R5, 9);
    }
}
