using System.Globalization;
using ClipLab.Configuration;

namespace ClipLab.Studies;

/// <summary>
/// A deterministic slice of a study's grid for one machine of a cluster: shard <see cref="Index"/> of <see cref="Count"/>
/// (1-based, as written <c>--shard 2/4</c>) takes the runs whose position in the plan is <c>Index − 1</c> modulo
/// <see cref="Count"/>, so the shards are disjoint, together cover the grid, and differ in size by at most one run.
/// </summary>
/// <param name="Index">1-based shard number.</param>
/// <param name="Count">Number of shards.</param>
public sealed record StudyShard(int Index, int Count)
{
    /// <summary>Parses <c>i/n</c>.</summary>
    /// <exception cref="ConfigException">Not of the form i/n with 1 ≤ i ≤ n.</exception>
    public static StudyShard Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string[] parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            && count >= 1 && index >= 1 && index <= count)
            return new StudyShard(index, count);
        throw new ConfigException($"--shard '{text}' is not i/n with 1 <= i <= n; write for example --shard 2/4 (the second of four slices).");
    }

    /// <summary>This shard's runs of <paramref name="runs"/>, in plan order.</summary>
    public IReadOnlyList<PlannedRun> Select(IReadOnlyList<PlannedRun> runs) =>
        runs.Where((_, position) => position % Count == Index - 1).ToList();

    /// <inheritdoc />
    public override string ToString() => $"{Index}/{Count}";
}
