namespace ClipLab.Data.WebDataset;

/// <summary>
/// A tar member name split as WebDataset does (<c>base_plus_ext</c>): the key is the folder plus the file
/// name up to its first dot, the extension is everything after that dot, lower-cased. So
/// <c>a/b/000042.seg.png</c> has key <c>a/b/000042</c> and extension <c>seg.png</c>.
/// </summary>
/// <param name="Key">Sample key (folder + basename before the first dot).</param>
/// <param name="Extension">Lower-case text after the first dot of the file name.</param>
public readonly record struct MemberName(string Key, string Extension)
{
    /// <summary>Splits <paramref name="member"/>; null for names WebDataset ignores (no dot in the file name, or a file name starting with a dot).</summary>
    public static MemberName? Parse(string member)
    {
        int slash = member.LastIndexOf('/');
        int dot = member.IndexOf('.', slash + 1);
        if (dot <= slash + 1 || dot == member.Length - 1) return null;
        return new MemberName(member[..dot], member[(dot + 1)..].ToLowerInvariant());
    }
}
