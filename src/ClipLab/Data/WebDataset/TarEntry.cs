namespace ClipLab.Data.WebDataset;

/// <summary>A regular file read from a tar archive.</summary>
/// <param name="Name">Full member path inside the archive (long names already resolved).</param>
/// <param name="Data">The file's content.</param>
/// <param name="Modified">The member's modification time.</param>
public sealed record TarEntry(string Name, byte[] Data, DateTimeOffset Modified);
