namespace ClipLab.Core;

/// <summary>
/// A string hash that is the same in every process and on every platform (unlike
/// <see cref="string.GetHashCode()"/>, which .NET randomises per process), for seeding per-sample random
/// streams with <see cref="SeedMixer"/>.
/// </summary>
public static class StableHash
{
    /// <summary>64-bit FNV-1a of the string's UTF-16 code units.</summary>
    public static ulong Of(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
