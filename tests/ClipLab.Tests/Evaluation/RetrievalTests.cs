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

    [Fact]
    public void VariableCaptionCountsPerImagePerfectScoresOne()
    {
        // Images with 1, 2, 3, 1 and 4 captions; each caption embeds near its image.
        int[] owner = [0, 1, 1, 2, 2, 2, 3, 4, 4, 4, 4];
        using var images = ConstructedEmbeddings.RandomUnit(5, 32, seed: 1);
        using var index = torch.tensor(owner.Select(o => (long)o).ToArray());
        using var texts = ConstructedEmbeddings.Noisy(images.index_select(0, index), 0.01, seed: 2);
        var r = Retrieval.Score(images, texts, owner);
        Assert.Equal(new RecallAtK(1, 1, 1), r.ImageToText);
        Assert.Equal(new RecallAtK(1, 1, 1), r.TextToImage);
        Assert.Equal((5, 11), (r.Images, r.Texts));
    }

    [Fact]
    public void PermutedCaptionsWithVariableCountsScoreAtChance()
    {
        // Every caption embeds exactly like a random image instead of its own: recall falls to chance, i.e. for
        // text→image K/N, and for image→text the probability that one of an image's c captions lands in the top K
        // of the T captions, 1 − C(T−c, K)/C(T, K).
        int n = 300;
        var rng = new Random(7);
        int[] owner = Enumerable.Range(0, n).SelectMany(i => Enumerable.Repeat(i, 1 + i % 3)).ToArray();
        int[] impostor = owner.Select(_ => rng.Next(n)).ToArray();
        using var images = ConstructedEmbeddings.RandomUnit(n, 64, seed: 3);
        using var index = torch.tensor(impostor.Select(o => (long)o).ToArray());
        using var texts = images.index_select(0, index);
        var r = Retrieval.Score(images, texts, owner);

        int t = owner.Length;
        double ChanceImageToText(int k) => Enumerable.Range(0, n).Average(i =>
        {
            int c = 1 + i % 3;
            double miss = 1;
            for (int j = 0; j < k; j++) miss *= (double)(t - c - j) / (t - j);
            return 1 - miss;
        });
        Assert.InRange(r.TextToImage.R1, 0, 0.02);
        Assert.InRange(r.TextToImage.R10, 10.0 / n - 0.02, 10.0 / n + 0.02);
        Assert.InRange(r.ImageToText.R10, ChanceImageToText(10) - 0.05, ChanceImageToText(10) + 0.05);
        Assert.InRange(r.ImageToText.R5, ChanceImageToText(5) - 0.04, ChanceImageToText(5) + 0.04);
    }
}
