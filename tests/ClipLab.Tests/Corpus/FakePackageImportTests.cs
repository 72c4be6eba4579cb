using System.Text.Json;
using ClipLab.Corpus;
using ClipLab.Data;
using SkiaSharp;
using Xunit;

namespace ClipLab.Tests.Corpus;

/// <summary>Importers on tiny fake package folders built in a temp directory.</summary>
public class FakePackageImportTests
{
    private static void Write(string root, string relative, byte[] bytes)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
    }

    private static void Write(string root, string relative, string text) => Write(root, relative, System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>A PNG signature and IHDR claiming <paramref name="side"/>² pixels, without image data.</summary>
    private static byte[] HeaderOnlyPng(int side)
    {
        byte[] png = TestImages.OpaquePng(4, 4)[..33];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), side);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), side);
        return png;
    }

    internal static OpenClipartImporter FakeOpenClipart(string dir)
    {
        string png = Path.Combine(dir, "png"), svg = Path.Combine(dir, "svg");
        Write(png, "animals/frog.png", TestImages.HalfTransparentPng(40, 20));
        Write(svg, "animals/frog.svg", ImporterFormatTests.FrogSvg);
        Write(png, "shapes/grey_box.png", TestImages.OpaquePng(30, 30));
        Write(svg, "shapes/grey_box.svg", ImporterFormatTests.FrogSvg.Replace("Two   dead frogs", "Grey box"));
        Write(png, "shapes/no_svg.png", TestImages.OpaquePng(8, 8));
        Write(png, "shapes/huge.png", HeaderOnlyPng(5000));
        Write(svg, "shapes/huge.svg", ImporterFormatTests.FrogSvg);
        Write(png, "shapes/broken.png", [.. TestImages.OpaquePng(8, 8)[..40], 1, 2, 3, 4, 5]);
        Write(svg, "shapes/broken.svg", ImporterFormatTests.FrogSvg);
        Directory.CreateDirectory(Path.Combine(png, "nature"));
        File.CreateSymbolicLink(Path.Combine(png, "nature", "frog.png"), "../animals/frog.png");
        return new OpenClipartImporter(png, svg);
    }

    [Fact]
    public void OpenClipartCountsEveryKindOfSkip()
    {
        var importer = FakeOpenClipart(TinyRuns.TempDirectory());
        Assert.Equal(5, importer.ExpectedCount); // the symbolic link is not listed
        var bad = ImportReport.NewCounter();
        var samples = importer.Read(bad).ToList();

        Assert.Equal(["openclipart-animals-frog", "openclipart-shapes-grey_box"], samples.Select(s => s.Key));
        Assert.Equal(1, bad.ByReason[SkipReason.MissingCaption]);
        Assert.Equal(1, bad.ByReason[SkipReason.ImageTooLarge]);
        Assert.Equal(1, bad.ByReason[SkipReason.CorruptImage]);
        Assert.Equal(2, bad.Good);

        var frog = samples[0];
        Assert.StartsWith("Two dead frogs. A \"green\" frog pair", frog.Caption);
        using (var image = SKBitmap.Decode(frog.Image))
            Assert.Equal(SKColors.White, image.GetPixel(1, 1)); // transparent half flattened
        using var json = JsonDocument.Parse(frog.Json!);
        Assert.Equal("openclipart", json.RootElement.GetProperty("source").GetString());
        Assert.Equal("animals/frog.png", json.RootElement.GetProperty("file").GetString());
        Assert.Equal(4, json.RootElement.GetProperty("keywords").GetArrayLength()); // raw keywords, "unsorted" included

        // An opaque PNG within the size budget is stored byte for byte.
        Assert.Equal(File.ReadAllBytes(Path.Combine(importer.PngRoot, "shapes/grey_box.png")), samples[1].Image);
    }

    [Fact]
    public void OpenClipartShrinksImagesAboveMaxSide()
    {
        string dir = TinyRuns.TempDirectory();
        FakeOpenClipart(dir);
        var importer = new OpenClipartImporter(Path.Combine(dir, "png"), Path.Combine(dir, "svg"), maxSide: 10);
        var box = importer.Read(ImportReport.NewCounter()).Single(s => s.Key.EndsWith("grey_box", StringComparison.Ordinal));
        var header = PngHeader.TryRead(box.Image)!;
        Assert.Equal((10, 10), (header.Width, header.Height));
        Assert.Contains("\"width\":10", box.Json);
    }

    internal static TuxpaintImporter FakeTuxpaint(string dir)
    {
        Write(dir, "animals/pets/cat.png", TestImages.HalfTransparentPng(16, 16));
        Write(dir, "animals/pets/cat.txt", "A cat.\nde.utf8=Eine Katze.\nfr.utf8=Un chat.\n");
        Write(dir, "animals/pets/cat_mirror.png", TestImages.HalfTransparentPng(16, 16));
        Write(dir, "animals/dog.png", TestImages.OpaquePng(8, 8));
        Write(dir, "animals/blank.png", TestImages.OpaquePng(8, 8));
        Write(dir, "animals/blank.txt", "\nde.utf8=Nur Deutsch.\n");
        Write(dir, "animals/bird.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>");
        Write(dir, "animals/bird.txt", "A bird.\n");
        return new TuxpaintImporter(dir);
    }

    [Fact]
    public void TuxpaintUsesTheEnglishLineAndFlattensOntoWhite()
    {
        var importer = FakeTuxpaint(TinyRuns.TempDirectory());
        Assert.Equal(3, importer.ExpectedCount); // cat, dog, blank: not the mirror variant, not the SVG-only bird
        var bad = ImportReport.NewCounter();
        var cat = Assert.Single(importer.Read(bad));
        Assert.Equal("A cat.", cat.Caption);
        Assert.Equal("tuxpaint-animals-pets-cat", cat.Key);
        Assert.Equal(1, bad.ByReason[SkipReason.MissingCaption]);
        Assert.Equal(1, bad.ByReason[SkipReason.EmptyCaption]);
        using (var image = SKBitmap.Decode(cat.Image))
        {
            Assert.Equal(SKColors.White, image.GetPixel(2, 8));
            Assert.Equal(SKColors.Red, image.GetPixel(12, 8));
        }
        using var json = JsonDocument.Parse(cat.Json!);
        Assert.Equal("animals/pets", json.RootElement.GetProperty("category").GetString());
        Assert.Equal("tuxpaint", json.RootElement.GetProperty("source").GetString());
    }

    [Fact]
    public void CorpusSplitsDeterministicallyAndReportsPerSource()
    {
        string dir = TinyRuns.TempDirectory();
        var corpus = new CorpusBuilder([FakeOpenClipart(Path.Combine(dir, "clip")), FakeTuxpaint(Path.Combine(dir, "tux"))], heldOutPerMille: 500);
        Assert.Equal(8, corpus.ExpectedCount);
        var first = CorpusShardSets.Consume(corpus);
        var second = CorpusShardSets.Consume(corpus);
        Assert.Equal(first.TrainKeys, second.TrainKeys);
        Assert.Equal(first.HeldOutKeys, second.HeldOutKeys);
        Assert.Equal(3, first.TrainKeys.Count + first.HeldOutKeys.Count);
        Assert.All(first.HeldOutKeys, k => Assert.Equal(CorpusSplit.HeldOut, HeldOutSplit.Of(k, 500)));
        Assert.All(first.TrainKeys, k => Assert.Equal(CorpusSplit.Train, HeldOutSplit.Of(k, 500)));

        var reports = corpus.Reports.ToDictionary(r => r.Source);
        Assert.Equal((5, 2, 3), (reports["openclipart"].Found, reports["openclipart"].Imported, reports["openclipart"].SkippedTotal));
        Assert.Equal((3, 1, 2), (reports["tuxpaint"].Found, reports["tuxpaint"].Imported, reports["tuxpaint"].SkippedTotal));
        Assert.Contains("image too large: 1", reports["openclipart"].ToString());
    }
}
