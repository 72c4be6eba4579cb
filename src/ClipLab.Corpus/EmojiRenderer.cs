using SkiaSharp;

namespace ClipLab.Corpus;

/// <summary>
/// Renders one emoji sequence with a colour emoji font (Noto Color Emoji) centred on a white square and encodes it
/// as PNG. Code points are mapped to glyphs through the font's cmap and joined with its GSUB ligatures
/// (<see cref="OpenTypeLigatures"/>); a sequence the font cannot show as one glyph is not rendered.
/// </summary>
public sealed class EmojiRenderer : IDisposable
{
    private const int VariationSelector16 = 0xFE0F;

    private readonly SKTypeface _typeface;
    private readonly SKFont _font;
    private readonly OpenTypeLigatures _ligatures;

    /// <summary>Loads the font at <paramref name="fontPath"/> for <paramref name="size"/>-pixel square images.</summary>
    /// <exception cref="InvalidDataException">The file is not a font SkiaSharp can load.</exception>
    public EmojiRenderer(string fontPath, int size = 96)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 8);
        Size = size;
        _typeface = SKTypeface.FromFile(fontPath) ?? throw new InvalidDataException($"{fontPath} is not a font SkiaSharp can load.");
        // Glyphs of about 3/4 of the side leave a margin like emoji pictures elsewhere; colour bitmaps are scaled from their strike.
        _font = new SKFont(_typeface, size * 0.75f) { Subpixel = true, Edging = SKFontEdging.Antialias };
        _ligatures = OpenTypeLigatures.Parse(_typeface.TryGetTableData(GsubTag, out byte[] gsub) ? gsub : []);
    }

    private static uint GsubTag => ('G' << 24) | ('S' << 16) | ('U' << 8) | 'B';

    /// <summary>Side of the rendered images in pixels.</summary>
    public int Size { get; }

    /// <summary>Ligatures found in the font.</summary>
    public int LigatureCount => _ligatures.LigatureCount;

    /// <summary>
    /// The single glyph showing <paramref name="codePoints"/>, or null when a code point is missing from the font
    /// or the sequence does not collapse into one glyph. Tried as given, then without U+FE0F (emoji presentation
    /// selectors, which fonts often leave out of their ligatures).
    /// </summary>
    public ushort? Glyph(IReadOnlyList<int> codePoints)
    {
        ArgumentNullException.ThrowIfNull(codePoints);
        foreach (var sequence in new[] { codePoints, codePoints.Where(c => c != VariationSelector16).ToList() })
        {
            if (sequence.Count == 0) continue;
            var glyphs = new ushort[sequence.Count];
            bool mapped = true;
            for (int i = 0; i < glyphs.Length && mapped; i++) mapped = (glyphs[i] = _typeface.GetGlyph(sequence[i])) != 0;
            if (!mapped) continue;
            ushort[] shaped = _ligatures.Apply(glyphs);
            if (shaped.Length == 1) return shaped[0];
        }
        return null;
    }

    /// <summary>
    /// Renders the emoji; returns the PNG bytes and the number of non-white pixels, or null when the font has no
    /// single glyph for it (see <see cref="Glyph"/>).
    /// </summary>
    public (byte[] Png, int InkPixels)? Render(IReadOnlyList<int> codePoints)
    {
        if (Glyph(codePoints) is not { } glyph) return null;
        using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true, Color = SKColors.Black })
        {
            canvas.Clear(SKColors.White);
            ReadOnlySpan<ushort> glyphs = [glyph];
            _font.MeasureText(glyphs, out SKRect bounds, paint);
            // Centre the glyph's ink box, not its advance box: emoji bitmaps sit unevenly around the baseline.
            float x = (Size - bounds.Width) / 2 - bounds.Left, y = (Size - bounds.Height) / 2 - bounds.Top;
            byte[] glyphBytes = [(byte)(glyph & 0xFF), (byte)(glyph >> 8)];
            using var blob = SKTextBlob.Create(glyphBytes, SKTextEncoding.GlyphId, _font, SKPoint.Empty);
            if (blob is not null) canvas.DrawText(blob, x, y, paint);
        }
        int ink = CountInk(bitmap);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return (data.ToArray(), ink);
    }

    /// <summary>Pixels that are not (near) white.</summary>
    internal static int CountInk(SKBitmap bitmap)
    {
        int ink = 0;
        foreach (var pixel in bitmap.Pixels)
            if (pixel.Red < 250 || pixel.Green < 250 || pixel.Blue < 250) ink++;
        return ink;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _font.Dispose();
        _typeface.Dispose();
    }
}
