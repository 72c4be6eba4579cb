namespace ClipLab.Data;

/// <summary>
/// One image–text pair as stored in a dataset, before decoding: the encoded image bytes and their format
/// (file extension without dot: <c>jpg</c>, <c>png</c>, <c>webp</c>, <c>gif</c>), the caption, optional JSON
/// metadata, and where it came from (shard and member, or file) for error messages.
/// </summary>
/// <param name="Key">Sample key, unique within its source (the WebDataset basename).</param>
/// <param name="ImageExtension">Lower-case image format extension.</param>
/// <param name="Image">Encoded image bytes.</param>
/// <param name="Caption">The text paired with the image.</param>
/// <param name="Json">Optional metadata (a JSON object as text).</param>
/// <param name="Origin">Where the sample was read from.</param>
/// <param name="SourceFile">The file (shard) the sample was read from, when bad samples are tallied per file; null otherwise.</param>
public sealed record RawSample(string Key, string ImageExtension, byte[] Image, string Caption, string? Json = null, string Origin = "",
    string? SourceFile = null);
