using ClipLab.Imaging;

namespace ClipLab.Inference;

/// <summary>One image found by a text query.</summary>
/// <param name="Path">The image file.</param>
/// <param name="Similarity">Cosine similarity of its embedding with the query's.</param>
public sealed record ImageMatch(string Path, float Similarity);

/// <summary>Text-to-image search over a folder: every image is embedded once, then ranked by cosine similarity to a query.</summary>
public sealed class ImageSearch
{
    private ImageSearch(IReadOnlyList<string> paths, EmbeddingMatrix embeddings)
    {
        Paths = paths;
        Embeddings = embeddings;
    }

    /// <summary>The indexed image files, in index order.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>Their embeddings, row i for Paths[i].</summary>
    public EmbeddingMatrix Embeddings { get; }

    /// <summary>Embeds every image under <paramref name="folder"/> (sub-folders included) with <paramref name="model"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The folder has no images, or one cannot be decoded (named).</exception>
    public static ImageSearch IndexFolder(ClipOnnxModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var paths = ImageFiles.InFolder(folder);
        if (paths.Count == 0)
            throw new InvalidDataException($"{folder} has no images (extensions {string.Join(", ", ImageFiles.Extensions)}).");
        return new ImageSearch(paths, model.EmbedImageFiles(paths));
    }

    /// <summary>The <paramref name="top"/> images most similar to <paramref name="text"/>, best first (ties in path order).</summary>
    public IReadOnlyList<ImageMatch> Query(ClipOnnxModel model, string text, int top)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var query = model.EmbedTexts([text]).Row(0).ToArray();
        return Enumerable.Range(0, Paths.Count)
            .Select(i => new ImageMatch(Paths[i], Embeddings.Similarity(i, query)))
            .OrderByDescending(m => m.Similarity)
            .Take(top)
            .ToList();
    }
}
