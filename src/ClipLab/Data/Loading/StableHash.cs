namespace ClipLab.Data.Loading;

/// <summary>
/// Hashes that are the same in every process and on every platform (unlike <see cref="string.GetHashCode()"/>,
/// which .NET randomises per process), for seeding per-sample random streams.
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

    /// <summary>Mixes values into one well-spread 64-bit seed (SplitMix64 finaliser applied after each).</summary>
    public static ulong Mix(params ulong[] values)
    {
        ulong state = 0x9E3779B97F4A7C15UL;
        foreach (ulong v in values)
        {
            state ^= v;
            state += 0x9E3779B97F4A7C15UL;
            ulong z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            state = z ^ (z >> 31);
        }
        return state;
    }

    /// <summary>A <see cref="Random"/> seeded from <see cref="Mix"/> of the values.</summary>
    public static Random Random(params ulong[] values) => new(unchecked((int)Mix(values)) & int.MaxValue);
}
