namespace ClipLab.Data.Sources;

/// <summary>
/// Approximate streaming shuffle as in WebDataset: keeps up to <c>size</c> items and emits a random one
/// each time a new item arrives, then drains the rest in random order. Memory is bounded by the buffer;
/// the order is a pure function of the input order and the random generator.
/// </summary>
public static class ShuffleBuffer
{
    /// <summary>Shuffles <paramref name="items"/> through a buffer of <paramref name="size"/> items (0 or 1 = unchanged order).</summary>
    public static IEnumerable<T> Shuffle<T>(IEnumerable<T> items, int size, Random random)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return size <= 1 ? items : Iterate(items, size, random);
    }

    private static IEnumerable<T> Iterate<T>(IEnumerable<T> items, int size, Random random)
    {
        var buffer = new List<T>(Math.Min(size, 4096));
        foreach (T item in items)
        {
            if (buffer.Count < size)
            {
                buffer.Add(item);
                continue;
            }
            int pick = random.Next(buffer.Count);
            yield return buffer[pick];
            buffer[pick] = item;
        }
        while (buffer.Count > 0)
        {
            int pick = random.Next(buffer.Count);
            yield return buffer[pick];
            buffer[pick] = buffer[^1];
            buffer.RemoveAt(buffer.Count - 1);
        }
    }
}
