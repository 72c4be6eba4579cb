namespace ClipLab.Inference;

/// <summary>Unit-norm embeddings as a row-major matrix [Count, Dim] of floats, one row per image or text.</summary>
public sealed class EmbeddingMatrix
{
    /// <summary>Wraps <paramref name="values"/> (row-major, Count·Dim floats) without copying.</summary>
    public EmbeddingMatrix(float[] values, int dim)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(dim, 1);
        if (values.Length % dim != 0) throw new ArgumentException($"{values.Length} values do not make rows of {dim}", nameof(values));
        Values = values;
        Dim = dim;
    }

    /// <summary>Row-major values.</summary>
    public float[] Values { get; }

    /// <summary>Embedding dimension.</summary>
    public int Dim { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Values.Length / Dim;

    /// <summary>Row <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> Row(int index) => Values.AsSpan(index * Dim, Dim);

    /// <summary>Cosine similarity of row <paramref name="index"/> with the unit vector <paramref name="other"/> (a dot product).</summary>
    public float Similarity(int index, ReadOnlySpan<float> other)
    {
        if (other.Length != Dim) throw new ArgumentException($"expected a vector of {Dim}, got {other.Length}", nameof(other));
        var row = Row(index);
        float sum = 0;
        for (int i = 0; i < Dim; i++) sum += row[i] * other[i];
        return sum;
    }
}
