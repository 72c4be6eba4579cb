using System.Text.Json;
using ClipLab.IO;

namespace ClipLab.Inference;

/// <summary>One embedded item: an image path or a text, and its unit-norm embedding.</summary>
/// <param name="Source">The image file or the text.</param>
/// <param name="Embedding">Its embedding.</param>
public sealed record EmbeddedItem(string Source, float[] Embedding);

/// <summary>
/// The JSON file <c>cliplab embed</c> writes: the model, the kind of items, and one embedding per item, in input order.
/// </summary>
/// <param name="Model">The exported model's name.</param>
/// <param name="Kind">"image" or "text".</param>
/// <param name="EmbedDim">Length of every embedding.</param>
/// <param name="Items">The embedded items.</param>
public sealed record EmbeddingFile(string Model, string Kind, int EmbedDim, IReadOnlyList<EmbeddedItem> Items)
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, WriteIndented = true };

    /// <summary>Pairs <paramref name="sources"/> with the rows of <paramref name="embeddings"/>.</summary>
    public static EmbeddingFile From(string model, string kind, IReadOnlyList<string> sources, EmbeddingMatrix embeddings)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(embeddings);
        if (sources.Count != embeddings.Count) throw new ArgumentException($"{sources.Count} sources but {embeddings.Count} embeddings");
        return new EmbeddingFile(model, kind, embeddings.Dim,
            sources.Select((source, i) => new EmbeddedItem(source, embeddings.Row(i).ToArray())).ToList());
    }

    /// <summary>Writes the file atomically.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Options));

    /// <summary>Reads a file written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not an embedding file.</exception>
    public static EmbeddingFile Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<EmbeddingFile>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path} is empty (null), not an embedding file.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not an embedding file: {ex.Message}", ex);
        }
    }
}
