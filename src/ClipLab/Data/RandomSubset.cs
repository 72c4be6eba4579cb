namespace ClipLab.Data;

/// <summary>
/// A seeded random choice of N unique items out of a dataset, for the paper's "dataset size" lever. Every size of one
/// seed takes a prefix of the same permutation, so subsets are nested: growing N only adds items. That keeps a sweep
/// over sizes a comparison of more data against less, not of different data.
/// </summary>
public static class RandomSubset
{
    /// <summary>
    /// The indices (ascending) of <paramref name="count"/> distinct items out of <paramref name="total"/>, a pure
    /// function of <paramref name="seed"/>; all of them when <paramref name="count"/> ≥ <paramref name="total"/>.
    /// </summary>
    public static int[] Indices(int total, int count, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(total);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (count >= total) return Enumerable.Range(0, total).ToArray();
        var order = Enumerable.Range(0, total).ToArray();
        // System.Random with an explicit seed has a fixed algorithm: the same subset in every process and platform.
        new Random(unchecked(seed * 1_000_003 + 0x5EED)).Shuffle(order);
        var chosen = order.AsSpan(0, count).ToArray();
        Array.Sort(chosen);
        return chosen;
    }
}
