using System.Text;

namespace ClipLab.Corpus;

/// <summary>Which part of the corpus a sample belongs to.</summary>
public enum CorpusSplit
{
    /// <summary>Used for training.</summary>
    Train,
    /// <summary>Held out for evaluation (retrieval on unseen pairs).</summary>
    HeldOut,
}

/// <summary>
/// The fixed held-out rule of the corpus: a sample is held out when the 64-bit FNV-1a hash of its key's UTF-8
/// bytes, modulo 1000, is below the per-mille fraction (default 20, i.e. 2%). It depends on the key only — not on
/// order, seed or which other sources are present — so the split is the same on every machine and every rebuild,
/// and a sample never moves between train and held-out.
/// </summary>
public static class HeldOutSplit
{
    /// <summary>Default held-out share in per mille (2%).</summary>
    public const int DefaultPerMille = 20;

    /// <summary>The split of the sample with key <paramref name="key"/>.</summary>
    public static CorpusSplit Of(string key, int perMille = DefaultPerMille)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfNegative(perMille);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(perMille, 1000);
        return Hash(key) % 1000 < (ulong)perMille ? CorpusSplit.HeldOut : CorpusSplit.Train;
    }

    /// <summary>64-bit FNV-1a of the UTF-8 bytes (stable across runtimes, unlike <see cref="string.GetHashCode()"/>).</summary>
    public static ulong Hash(string key)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(key))
        {
            hash ^= b;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
