using System.Diagnostics;
using System.Text.Json;
using ClipLab.Corpus;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using SkiaSharp;
using Xunit;
using Xunit.Abstractions;

namespace ClipLab.Tests.Corpus;

/// <summary>
/// Importers on the Debian packages installed by scripts/setup.sh: a subset of the expensive ones, full counts of
/// the cheap ones (found = ExpectedCount, imported + skipped = found).
/// </summary>
public class InstalledPackageImportTests(ITestOutputHelper output)
{
    private static void AssertDecodablePng(RawSample sample)
    {
        Assert.Equal("png", sample.ImageExtension);
        Assert.NotNull(PngHeader.TryRead(sample.Image));
        using var bitmap = SKBitmap.Decode(sample.Image);
        Assert.NotNull(bitmap);
    }

    private ImportReport RunAndCheck(ISampleImporter importer, Action<RawSample> check)
    {
        long? expected = importer.ExpectedCount;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var report = ImportReport.Run(importer, s =>
        {
            Assert.True(keys.Add(s.Key), $"duplicate key {s.Key}");
            Assert.False(string.IsNullOrWhiteSpace(s.Caption), s.Key);
            check(s);
        });
        output.WriteLine(report.ToString());
        Assert.Equal(expected, report.Found);
        Assert.Equal(report.Found, report.Imported + report.SkippedTotal);
        return report;
    }

    [Fact]
    public void OpenClipartFirstSamplesHaveCaptionsAndMetadata()
    {
        var importer = new OpenClipartImporter();
        Assert.InRange(importer.ExpectedCount!.Value, 6000, 8000); // 6,900 regular PNGs in 1:0.18+dfsg-19
        var samples = importer.Read(ImportReport.NewCounter()).Take(20).ToList();
        Assert.Equal(20, samples.Count);
        foreach (var sample in samples)
        {
            AssertDecodablePng(sample);
            Assert.StartsWith("openclipart-", sample.Key);
            Assert.DoesNotContain('.', sample.Key);
            using var json = JsonDocument.Parse(sample.Json!);
            Assert.Equal("openclipart", json.RootElement.GetProperty("source").GetString());
            Assert.True(File.Exists(Path.Combine(importer.PngRoot, json.RootElement.GetProperty("file").GetString()!)));
            output.WriteLine($"{sample.Key}: {sample.Caption}");
        }
        Assert.Contains(samples, s => s.Caption.StartsWith("2 dead frogs. 2 dead frogs... nothing more", StringComparison.Ordinal));
    }

    [FullPackageFact]
    public void OpenClipartFullPackage()
    {
        var importer = new OpenClipartImporter();
        int fromFile = 0;
        var report = RunAndCheck(importer, s =>
        {
            var header = PngHeader.TryRead(s.Image)!;
            Assert.True(Math.Max(header.Width, header.Height) <= importer.MaxSide, s.Key);
            if (s.Json!.Contains("\"titleFromFile\":true", StringComparison.Ordinal)) fromFile++;
        });
        output.WriteLine($"captions titled from the file name: {fromFile:N0}");
        Assert.True(report.Skipped.GetValueOrDefault(SkipReason.ImageTooLarge) > 0, "the package has images over 4096×4096");
        Assert.True(report.Imported > 0.95 * report.Found, report.ToString());
    }

    [FullPackageFact]
    public void FashionMnistBothSplitsFull()
    {
        var report = RunAndCheck(new FashionMnistImporter(), _ => { });
        Assert.Equal(70_000, report.Imported);
    }

    [Fact]
    public void TuxpaintFullPackage()
    {
        var importer = new TuxpaintImporter();
        var report = RunAndCheck(importer, s =>
        {
            using var bitmap = SKBitmap.Decode(s.Image);
            Assert.Equal(255, bitmap.GetPixel(0, 0).Alpha); // flattened: opaque everywhere
        });
        Assert.True(report.Imported >= 750, report.ToString());
        var cat = importer.Read(ImportReport.NewCounter()).First(s => s.Key == "tuxpaint-symbols-money-us-coins-025quarter");
        Assert.Equal("A US 25 cent piece ($.25) called a quarter.", cat.Caption);
        Assert.Contains("\"category\":\"symbols/money/us/coins\"", cat.Json);
    }

    [Fact]
    public void EmojiFullPackageRendersInColour()
    {
        var importer = new EmojiImporter();
        Assert.Equal(3655, importer.ExpectedCount); // fully-qualified in Unicode 15.0
        int colourful = 0;
        var report = RunAndCheck(importer, s =>
        {
            using var bitmap = SKBitmap.Decode(s.Image);
            Assert.Equal((96, 96), (bitmap.Width, bitmap.Height));
            if (bitmap.Pixels.Count(p => Math.Abs(p.Red - p.Green) > 40 || Math.Abs(p.Green - p.Blue) > 40) > 200) colourful++;
        });
        // Noto Color Emoji 2.042 covers Unicode 15.0: sequences join through the GSUB ligatures.
        Assert.True(report.Imported >= 3600, report.ToString());
        Assert.True(colourful > 0.9 * report.Imported, $"{colourful} of {report.Imported} renderings are coloured");
    }

    [Fact]
    public void EmojiSequencesBecomeOneGlyph()
    {
        using var renderer = new EmojiRenderer(EmojiImporter.DefaultFontPath);
        Assert.True(renderer.LigatureCount > 1000);
        Assert.NotNull(renderer.Glyph([0x1F600]));
        Assert.NotNull(renderer.Glyph([0x1F1EF, 0x1F1F5])); // flag: Japan
        Assert.NotNull(renderer.Glyph([0x1F468, 0x200D, 0x1F469, 0x200D, 0x1F467])); // family: man, woman, girl
        Assert.NotNull(renderer.Glyph([0x1F44B, 0x1F3FD])); // waving hand: medium skin tone
        Assert.NotEqual(renderer.Glyph([0x1F44B]), renderer.Glyph([0x1F44B, 0x1F3FD]));
        Assert.Null(renderer.Glyph([0x41, 0x42])); // "AB": two glyphs, not one emoji

        var sample = new EmojiImporter().Read(ImportReport.NewCounter()).First();
        Assert.Equal(("emoji-1F600", "grinning face"), (sample.Key, sample.Caption));
        using var json = JsonDocument.Parse(sample.Json!);
        Assert.Equal("Smileys & Emotion", json.RootElement.GetProperty("group").GetString());
        Assert.Equal("face-smiling", json.RootElement.GetProperty("subgroup").GetString());
        Assert.Equal("1F600", json.RootElement.GetProperty("codepoints").GetString());
    }

    [Fact]
    public void FashionMnistTestSplitFull()
    {
        var importer = new FashionMnistImporter([FashionMnistSplit.Test], seed: 7);
        Assert.Equal(70_000, new FashionMnistImporter().ExpectedCount);
        var report = RunAndCheck(importer, s =>
        {
            var header = PngHeader.TryRead(s.Image)!;
            Assert.Equal((28, 28, (byte)0), (header.Width, header.Height, header.ColorType)); // 8-bit greyscale
        });
        Assert.Equal(10_000, report.Imported);

        var first = importer.Read(ImportReport.NewCounter()).First();
        var data = FashionMnist.Load(FashionMnistSplit.Test);
        using var bitmap = SKBitmap.Decode(first.Image);
        for (int y = 0; y < 28; y++)
            for (int x = 0; x < 28; x++)
                Assert.Equal(data.Image(0)[y * 28 + x], bitmap.GetPixel(x, y).Red);
        var captions = FashionMnistCaptions.Load();
        Assert.Equal(captions.Caption(data.Image(0), data.Labels[0], 7, 0), first.Caption);
        Assert.Contains($"\"label\":{data.Labels[0]},", first.Json);
        Assert.Contains("\"split\":\"test\"", first.Json);
        Assert.Equal("fashion-mnist-test-00000", first.Key);
    }

    [Fact]
    public void DefaultCorpusMixesSourcesFromTheStart()
    {
        var corpus = CorpusBuilder.CreateDefault();
        Assert.Equal(4, corpus.Importers.Count);
        var clock = Stopwatch.StartNew();
        var sets = CorpusShardSets.Consume(corpus, limit: 400);
        output.WriteLine($"400 samples in {clock.Elapsed.TotalSeconds:F1} s: {string.Join(", ", sets.PerSource)}");
        // Proportional interleaving: every source appears in the first 400 samples, Fashion-MNIST most.
        Assert.Equal(4, sets.PerSource.Count);
        Assert.Equal("fashion-mnist", sets.PerSource.MaxBy(kv => kv.Value).Key);
        Assert.All(sets.HeldOutKeys, k => Assert.Equal(CorpusSplit.HeldOut, HeldOutSplit.Of(k)));
    }
}
