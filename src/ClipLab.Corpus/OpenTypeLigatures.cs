using System.Buffers.Binary;

namespace ClipLab.Corpus;

/// <summary>
/// The ligature substitutions (GSUB lookup type 4, also inside type-7 extensions) of an OpenType font, applied
/// lookup by lookup in font order. Skia draws glyphs without text shaping, so this is what turns an emoji sequence
/// (a ZWJ family, a flag's two regional indicators, a skin-tone modifier, a keycap) into the font's single glyph.
/// Features, scripts and lookup flags are ignored: in an emoji font every ligature applies everywhere.
/// </summary>
public sealed class OpenTypeLigatures
{
    private readonly List<Dictionary<ushort, List<(ushort[] Tail, ushort Ligature)>>> _lookups;

    private OpenTypeLigatures(List<Dictionary<ushort, List<(ushort[] Tail, ushort Ligature)>>> lookups) => _lookups = lookups;

    /// <summary>Number of ligature lookups found.</summary>
    public int LookupCount => _lookups.Count;

    /// <summary>Total number of ligatures.</summary>
    public int LigatureCount => _lookups.Sum(l => l.Values.Sum(v => v.Count));

    /// <summary>Parses a GSUB table; an empty table (or none) gives no ligatures.</summary>
    /// <exception cref="InvalidDataException">An offset points outside the table.</exception>
    public static OpenTypeLigatures Parse(ReadOnlySpan<byte> gsub)
    {
        var lookups = new List<Dictionary<ushort, List<(ushort[], ushort)>>>();
        if (gsub.Length < 10) return new OpenTypeLigatures(lookups);
        try
        {
            int lookupList = U16(gsub, 8);
            int lookupCount = U16(gsub, lookupList);
            for (int i = 0; i < lookupCount; i++)
            {
                int lookup = lookupList + U16(gsub, lookupList + 2 + 2 * i);
                int type = U16(gsub, lookup), subtables = U16(gsub, lookup + 4);
                var ligatures = new Dictionary<ushort, List<(ushort[], ushort)>>();
                for (int s = 0; s < subtables; s++)
                {
                    int subtable = lookup + U16(gsub, lookup + 6 + 2 * s);
                    int subtableType = type;
                    if (type == 7)
                    {
                        subtableType = U16(gsub, subtable + 2);
                        subtable += checked((int)BinaryPrimitives.ReadUInt32BigEndian(gsub[(subtable + 4)..]));
                    }
                    if (subtableType == 4) ReadLigatureSubst(gsub, subtable, ligatures);
                }
                if (ligatures.Count > 0) lookups.Add(ligatures);
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException("GSUB table is truncated or has an offset outside the table.", e);
        }
        return new OpenTypeLigatures(lookups);
    }

    /// <summary>Applies all ligature lookups to <paramref name="glyphs"/> (longest match first at each position).</summary>
    public ushort[] Apply(IReadOnlyList<ushort> glyphs)
    {
        var current = glyphs.ToList();
        foreach (var lookup in _lookups)
        {
            var next = new List<ushort>(current.Count);
            for (int at = 0; at < current.Count;)
            {
                (ushort[] Tail, ushort Ligature)? best = null;
                if (lookup.TryGetValue(current[at], out var candidates))
                {
                    foreach (var candidate in candidates)
                    {
                        if (best is { } longer && candidate.Tail.Length <= longer.Tail.Length) continue;
                        if (at + candidate.Tail.Length >= current.Count) continue; // runs past the end
                        bool match = true;
                        for (int k = 0; k < candidate.Tail.Length && match; k++) match = current[at + 1 + k] == candidate.Tail[k];
                        if (match) best = candidate;
                    }
                }
                if (best is { } chosen) { next.Add(chosen.Ligature); at += 1 + chosen.Tail.Length; }
                else { next.Add(current[at]); at++; }
            }
            current = next;
        }
        return current.ToArray();
    }

    private static void ReadLigatureSubst(ReadOnlySpan<byte> gsub, int subtable, Dictionary<ushort, List<(ushort[], ushort)>> ligatures)
    {
        if (U16(gsub, subtable) != 1) return;
        var coverage = ReadCoverage(gsub, subtable + U16(gsub, subtable + 2));
        int setCount = U16(gsub, subtable + 4);
        for (int i = 0; i < setCount && i < coverage.Count; i++)
        {
            int set = subtable + U16(gsub, subtable + 6 + 2 * i);
            int count = U16(gsub, set);
            if (!ligatures.TryGetValue(coverage[i], out var list)) ligatures[coverage[i]] = list = [];
            for (int l = 0; l < count; l++)
            {
                int ligature = set + U16(gsub, set + 2 + 2 * l);
                ushort glyph = U16(gsub, ligature);
                int components = U16(gsub, ligature + 2);
                var rest = new ushort[Math.Max(0, components - 1)];
                for (int c = 0; c < rest.Length; c++) rest[c] = U16(gsub, ligature + 4 + 2 * c);
                list.Add((rest, glyph));
            }
        }
    }

    private static List<ushort> ReadCoverage(ReadOnlySpan<byte> gsub, int coverage)
    {
        var glyphs = new List<ushort>();
        int format = U16(gsub, coverage), count = U16(gsub, coverage + 2);
        for (int i = 0; i < count; i++)
        {
            if (format == 1) glyphs.Add(U16(gsub, coverage + 4 + 2 * i));
            else if (format == 2)
            {
                int record = coverage + 4 + 6 * i;
                for (int g = U16(gsub, record); g <= U16(gsub, record + 2); g++) glyphs.Add((ushort)g);
            }
        }
        return glyphs;
    }

    private static ushort U16(ReadOnlySpan<byte> data, int offset) => BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
}
