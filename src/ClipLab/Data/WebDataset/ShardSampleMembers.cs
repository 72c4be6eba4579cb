namespace ClipLab.Data.WebDataset;

/// <summary>
/// One sample of a shard exactly as stored: its key and every member that shares it (image, <c>txt</c>,
/// <c>json</c> and anything else, e.g. <c>cls</c>), with the members' original extensions and bytes. Unlike
/// <see cref="ShardSampleReader"/> nothing is decoded, trimmed or checked, so a subset of a dataset can be
/// copied byte for byte with <see cref="ShardWriter.WriteMembers"/>.
/// </summary>
/// <param name="Key">Sample key (<see cref="MemberName.Key"/>).</param>
/// <param name="Members">Extension as stored (the member name after the key's dot, case kept) and bytes, in archive order.</param>
public sealed record ShardSampleMembers(string Key, IReadOnlyList<(string Extension, byte[] Data)> Members)
{
    /// <summary>
    /// Streams the samples of <paramref name="shard"/>, grouped as <see cref="ShardSampleReader"/> groups them:
    /// consecutive members with the same key form a sample, a repeated extension (compared case-insensitively)
    /// keeps its first occurrence, and names WebDataset ignores are skipped.
    /// </summary>
    /// <exception cref="FileNotFoundException">The shard does not exist.</exception>
    /// <exception cref="InvalidDataException">The archive is damaged or unreadable (thrown after the samples before the damage); the message names the shard and the problem.</exception>
    public static IEnumerable<ShardSampleMembers> Read(string shard)
    {
        ArgumentNullException.ThrowIfNull(shard);
        if (!File.Exists(shard)) throw new FileNotFoundException($"shard {shard} does not exist", shard);
        return Iterate(shard);
    }

    private static IEnumerable<ShardSampleMembers> Iterate(string shard)
    {
        using var reader = new TarReader(new FileStream(shard, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan));
        string? key = null;
        var members = new List<(string Extension, byte[] Data)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (TarEntry entry in reader.Entries())
        {
            if (MemberName.Parse(entry.Name) is not { } name) continue;
            if (key != null && name.Key != key)
            {
                yield return new ShardSampleMembers(key, members.ToList());
                members.Clear();
                seen.Clear();
            }
            key = name.Key;
            if (seen.Add(name.Extension)) members.Add((entry.Name[(name.Key.Length + 1)..], entry.Data));
        }
        if (reader.Problem is not null)
            throw new InvalidDataException($"shard {shard} is damaged: {reader.Problem}{(reader.ProblemMember is { } m ? $" (member {m})" : "")}");
        if (key != null) yield return new ShardSampleMembers(key, members.ToList());
    }
}
