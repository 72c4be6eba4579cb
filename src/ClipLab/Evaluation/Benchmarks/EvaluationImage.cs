namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// One evaluation image, read only when its batch is decoded: an encoded file (JPEG, PNG, WebP, GIF, BMP) or,
/// for sets stored as raw pixels (CIFAR), <see cref="RawPixels"/> interleaved RGB bytes of the given size.
/// </summary>
/// <param name="Origin">File path, or file and record, for error messages.</param>
/// <param name="Read">Returns the image's bytes; called once per evaluation, on a loader thread.</param>
public sealed record EvaluationImage(string Origin, Func<byte[]> Read)
{
    /// <summary>Width and height of raw interleaved RGB bytes, or null for an encoded image file.</summary>
    public (int Width, int Height)? RawPixels { get; init; }

    /// <summary>An image file on disk (read when needed).</summary>
    public static EvaluationImage FromFile(string path, string? origin = null) => new(origin ?? path, () => File.ReadAllBytes(path));

    /// <summary>Encoded bytes already in memory (a shard member).</summary>
    public static EvaluationImage FromBytes(byte[] bytes, string origin) => new(origin, () => bytes);
}
