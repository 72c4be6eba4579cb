using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation;

/// <summary>Recall@K for one retrieval direction, as fractions in [0, 1].</summary>
/// <param name="R1">Recall@1.</param>
/// <param name="R5">Recall@5.</param>
/// <param name="R10">Recall@10.</param>
public sealed record RecallAtK(double R1, double R5, double R10);

/// <summary>Image↔text retrieval results.</summary>
/// <param name="ImageToText">An image is a hit when any of its captions ranks within K.</param>
/// <param name="TextToImage">A caption is a hit when its image ranks within K.</param>
/// <param name="Images">Images in the gallery.</param>
/// <param name="Texts">Captions in the gallery.</param>
public sealed record RetrievalResult(RecallAtK ImageToText, RecallAtK TextToImage, int Images, int Texts);

/// <summary>
/// Cross-modal retrieval by cosine similarity where an image may have several captions and each caption
/// belongs to exactly one image (as in MSCOCO's five captions per image).
/// </summary>
public static class Retrieval
{
    /// <summary>Scores unit-norm image embeddings [I, E] against caption embeddings [T, E].</summary>
    /// <param name="imageEmbeddings">Unit-norm image embeddings [images, embed].</param>
    /// <param name="textEmbeddings">Unit-norm caption embeddings [captions, embed].</param>
    /// <param name="captionImage">For each caption, the index of its image.</param>
    public static RetrievalResult Score(Tensor imageEmbeddings, Tensor textEmbeddings, IReadOnlyList<int> captionImage)
    {
        long images = imageEmbeddings.shape[0], texts = textEmbeddings.shape[0];
        if (texts != captionImage.Count) throw new ArgumentException($"{texts} caption embeddings but {captionImage.Count} caption→image entries");
        using var scope = torch.NewDisposeScope();
        var similarity = imageEmbeddings.matmul(textEmbeddings.t()); // [I, T]
        var owner = torch.tensor(captionImage.Select(i => (long)i).ToArray());
        var positives = owner.unsqueeze(0).eq(torch.arange(images).unsqueeze(1)); // [I, T]: caption t belongs to image i

        // Rank of the best positive = number of negatives scoring at least as high. Ties count against the
        // query so that degenerate (e.g. constant) embeddings score at chance, not perfectly.
        var negatives = positives.logical_not();
        var bestPositive = similarity.masked_fill(negatives, double.NegativeInfinity).max(1).values; // [I]
        var imageRank = similarity.ge(bestPositive.unsqueeze(1)).logical_and(negatives).sum(dim: 1); // [I]
        var trueScore = similarity.gather(0, owner.unsqueeze(0)).squeeze(0); // [T]
        var textRank = similarity.ge(trueScore.unsqueeze(0)).logical_and(negatives).sum(dim: 0); // [T] (named: a literal 0 would bind to sum(ScalarType))

        return new RetrievalResult(Recalls(imageRank), Recalls(textRank), (int)images, (int)texts);
    }

    private static RecallAtK Recalls(Tensor rank)
    {
        double At(int k) => rank.lt(k).to_type(ScalarType.Float64).mean().ToDouble();
        return new RecallAtK(At(1), At(5), At(10));
    }
}
