using ClipLab.Data;

namespace ClipLab.Corpus;

/// <summary>
/// Imports every fully-qualified emoji of Unicode's <c>emoji-test.txt</c> (Debian's <c>unicode-data</c>), rendered
/// with Noto Color Emoji (<c>fonts-noto-color-emoji</c>) on a white square by <see cref="EmojiRenderer"/>, captioned
/// with its CLDR name as written in the file ("grinning face with big eyes", "flag: Japan").
/// </summary>
/// <remarks>
/// Found items are the fully-qualified entries (minimally-/unqualified forms and components are other spellings of
/// the same pictures). An emoji the font cannot show as one glyph, or that renders (nearly) blank — fewer than
/// <see cref="MinInkFraction"/> of the pixels non-white — is skipped as <see cref="SkipReason.CorruptImage"/>
/// (the closest shared reason: no usable image), with the code points in the origin.
/// JSON: <c>{"source":"emoji","name","group","subgroup","codepoints":"1F600","emoji":"😀","version":"E1.0"}</c>;
/// group and subgroup serve zero-shot evaluation.
/// </remarks>
public sealed class EmojiImporter : ISampleImporter
{
    /// <summary>Where <c>fonts-noto-color-emoji</c> installs the font.</summary>
    public const string DefaultFontPath = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

    private readonly Lazy<int> _count;

    /// <summary>Creates the importer (defaults: the Debian paths, 96-pixel images).</summary>
    /// <exception cref="FileNotFoundException">A package is not installed; the message names it and the fix.</exception>
    public EmojiImporter(string? emojiTestPath = null, string? fontPath = null, int size = 96, double minInkFraction = 0.02)
    {
        EmojiTestPath = emojiTestPath ?? EmojiTestFile.DefaultPath;
        FontPath = fontPath ?? DefaultFontPath;
        MissingPackage.RequireFile(EmojiTestPath, "unicode-data", "Unicode emoji test file");
        MissingPackage.RequireFile(FontPath, "fonts-noto-color-emoji", "Noto Color Emoji font");
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        ArgumentOutOfRangeException.ThrowIfNegative(minInkFraction);
        Size = size;
        MinInkFraction = minInkFraction;
        _count = new Lazy<int>(() => EmojiTestFile.Read(EmojiTestPath).Count(e => e.IsFullyQualified));
    }

    /// <inheritdoc />
    public string Name => "emoji";

    /// <summary>The emoji-test.txt read.</summary>
    public string EmojiTestPath { get; }

    /// <summary>The colour emoji font used.</summary>
    public string FontPath { get; }

    /// <summary>Image side in pixels.</summary>
    public int Size { get; }

    /// <summary>Smallest fraction of non-white pixels for a rendering to count as drawn.</summary>
    public double MinInkFraction { get; }

    /// <summary>The fully-qualified entries of the file.</summary>
    public long? ExpectedCount => _count.Value;

    /// <inheritdoc />
    public IEnumerable<RawSample> Read(BadSampleCounter bad, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(bad);
        using var renderer = new EmojiRenderer(FontPath, Size);
        int minInk = (int)Math.Ceiling(MinInkFraction * Size * Size);
        foreach (var entry in EmojiTestFile.Read(EmojiTestPath))
        {
            cancellation.ThrowIfCancellationRequested();
            if (!entry.IsFullyQualified) continue;
            string origin = $"{EmojiTestPath}:{entry.Line} (U+{entry.CodePointsHex.Replace(" ", " U+", StringComparison.Ordinal)} {entry.Name})";
            if (entry.Name.Length == 0)
            {
                bad.CountBad(SkipReason.EmptyCaption, origin);
                continue;
            }
            var rendered = renderer.Render(entry.CodePoints);
            if (rendered is null || rendered.Value.InkPixels < minInk)
            {
                bad.CountBad(SkipReason.CorruptImage, origin + (rendered is null ? ": no single glyph in the font" : ": renders blank"));
                continue;
            }
            string codePoints = entry.CodePointsHex;
            string json = SampleJson.Serialize(new
            {
                source = Name,
                name = entry.Name,
                group = entry.Group,
                subgroup = entry.Subgroup,
                codepoints = codePoints,
                emoji = entry.Text,
                version = entry.Version,
            });
            bad.CountGood();
            yield return new RawSample($"{Name}-{codePoints.Replace(' ', '_')}", "png", rendered.Value.Png, entry.Name, json, origin);
        }
    }
}
