namespace ClipLab.Core;

/// <summary>
/// Derives independent, reproducible seeds from a run seed and a few integers (epoch, slice, stream tag) with
/// SplitMix64 finalisers. <see cref="HashCode"/> is not an option: it is randomised per process.
/// </summary>
public static class SeedMixer
{
    /// <summary>Mixes <paramref name="seed"/> with <paramref name="parts"/>; any change to any input changes the result.</summary>
    public static ulong Mix(ulong seed, params ReadOnlySpan<long> parts)
    {
        ulong h = Finalise(seed);
        foreach (long part in parts)
            h = Finalise(h ^ Finalise((ulong)part + 0x632BE59BD9B4E019UL));
        return h;
    }

    /// <summary>
    /// A <see cref="System.Random"/> seeded from <see cref="Mix"/>. The integer-seeded <see cref="System.Random"/>
    /// uses a fixed, documented algorithm, so the sequence is the same in every process.
    /// </summary>
    public static Random Random(ulong seed, params ReadOnlySpan<long> parts) => new((int)(Mix(seed, parts) >> 33));

    // SplitMix64 output function (Steele, Lea, Flood 2014).
    private static ulong Finalise(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
