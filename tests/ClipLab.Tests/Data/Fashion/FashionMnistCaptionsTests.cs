using System.Text.Json;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using Xunit;

namespace ClipLab.Tests.Data.Fashion;

public sealed class FashionMnistCaptionsTests
{
    private const int Side = FashionMnistCaptions.ImageSide;
    private static readonly FashionMnistCaptions Captions = FashionMnistCaptions.Load();

    /// <summary>A black image with one filled rectangle.</summary>
    private static byte[] Rectangle(int width, int height, Func<int, int, byte> value)
    {
        var pixels = new byte[Side * Side];
        int left = (Side - width) / 2, top = (Side - height) / 2;
        for (int y = top; y < top + height; y++)
        {
            for (int x = left; x < left + width; x++)
            {
                pixels[y * Side + x] = value(x, y);
            }
        }

        return pixels;
    }

    private static byte[] Solid(int width, int height, byte value) => Rectangle(width, height, (_, _) => value);

    private static string[] NounsOf(int label)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(FashionMnistCaptions.DefaultVocabularyPath));
        return doc.RootElement.GetProperty("classes")[label].GetProperty("nouns").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    [Fact]
    public void ClassNames_AreTheDatasetsInLabelOrder()
    {
        Assert.Equal(["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"], Captions.ClassNames);
        Assert.InRange(Captions.Templates.Count, 15, 30);
    }

    [Fact]
    public void Caption_IsDeterministicForTheSameArguments()
    {
        var image = Solid(14, 20, 180);
        var other = FashionMnistCaptions.Load();
        for (long i = 0; i < 50; i++)
        {
            string first = Captions.Caption(image, (int)(i % 10), seed: 42, sampleIndex: i, variant: (int)(i % 3));
            Assert.Equal(first, Captions.Caption(image, (int)(i % 10), seed: 42, sampleIndex: i, variant: (int)(i % 3)));
            Assert.Equal(first, other.Caption(image, (int)(i % 10), seed: 42, sampleIndex: i, variant: (int)(i % 3)));
        }
    }

    [Fact]
    public void Caption_VariantsOfOneImageDiffer()
    {
        var image = Solid(14, 20, 180);
        var variants = Enumerable.Range(0, 5).Select(v => Captions.Caption(image, 4, seed: 7, sampleIndex: 123, variant: v)).ToArray();
        Assert.Equal(variants.Length, variants.Distinct().Count());
    }

    [Fact]
    public void Caption_DiffersAcrossSeedsAndSamples()
    {
        var image = Solid(14, 20, 180);
        var bySeed = Enumerable.Range(0, 20).Select(s => Captions.Caption(image, 2, seed: (ulong)s, sampleIndex: 5)).Distinct().Count();
        var bySample = Enumerable.Range(0, 20).Select(i => Captions.Caption(image, 2, seed: 1, sampleIndex: i)).Distinct().Count();
        Assert.True(bySeed >= 10, $"only {bySeed} distinct captions over 20 seeds");
        Assert.True(bySample >= 10, $"only {bySample} distinct captions over 20 samples");
    }

    [Fact]
    public void Caption_MentionsASynonymOfItsClass_AndNoPlaceholder()
    {
        var image = Solid(10, 24, 200);
        for (int label = 0; label < 10; label++)
        {
            string[] nouns = NounsOf(label);
            for (int variant = 0; variant < Captions.Templates.Count; variant++)
            {
                string caption = Captions.Caption(image, label, seed: 3, sampleIndex: label, variant: variant);
                Assert.Contains(nouns, noun => caption.Contains(noun, StringComparison.Ordinal));
                Assert.DoesNotContain("{", caption);
                Assert.DoesNotContain("}", caption);
                Assert.DoesNotContain(" a a", caption);
                Assert.DoesNotContain(" a e", caption);
            }
        }
    }

    [Fact]
    public void Caption_UsesImageAttributes()
    {
        // Over all templates, the dark slim image gets dark/slim words and never bright/wide ones, and vice versa.
        var darkSlim = Solid(6, 24, 70);
        var brightWide = Solid(24, 8, 250);
        var dark = Enumerable.Range(0, Captions.Templates.Count).Select(v => Captions.Caption(darkSlim, 1, 9, 0, v)).ToArray();
        var bright = Enumerable.Range(0, Captions.Templates.Count).Select(v => Captions.Caption(brightWide, 1, 9, 0, v)).ToArray();

        string[] darkWords = ["dark", "black", "charcoal", "deep grey"];
        string[] brightWords = ["bright", "white", "glowing"];
        Assert.Contains(dark, c => darkWords.Any(c.Contains));
        Assert.DoesNotContain(dark, c => brightWords.Any(c.Contains));
        Assert.Contains(bright, c => brightWords.Any(c.Contains));
        Assert.DoesNotContain(bright, c => darkWords.Any(c.Contains));
    }

    [Fact]
    public void Caption_RejectsBadArguments()
    {
        var image = Solid(10, 10, 100);
        Assert.Throws<ArgumentOutOfRangeException>(() => Captions.Caption(image, 10, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Captions.Caption(image, -1, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Captions.Caption(image, 0, 0, 0, variant: -1));
        Assert.Throws<ArgumentException>(() => Captions.Caption(new byte[100], 0, 0, 0));
    }

    [Fact]
    public void Describe_Tone_FollowsForegroundBrightness()
    {
        Assert.Equal(ImageTone.Dark, FashionMnistCaptions.Describe(Solid(12, 12, 80)).Tone);
        Assert.Equal(ImageTone.MidGrey, FashionMnistCaptions.Describe(Solid(12, 12, 150)).Tone);
        Assert.Equal(ImageTone.Light, FashionMnistCaptions.Describe(Solid(12, 12, 180)).Tone);
        Assert.Equal(ImageTone.Bright, FashionMnistCaptions.Describe(Solid(12, 12, 240)).Tone);
        Assert.Equal(80 / 255.0, FashionMnistCaptions.Describe(Solid(12, 12, 80)).MeanIntensity, 6);
    }

    [Fact]
    public void Describe_Shape_FollowsBoundingBoxAspect()
    {
        var narrow = FashionMnistCaptions.Describe(Solid(8, 24, 200));
        var wide = FashionMnistCaptions.Describe(Solid(24, 10, 200));
        var square = FashionMnistCaptions.Describe(Solid(16, 16, 200));

        Assert.Equal(ImageShape.Slim, narrow.Shape);
        Assert.Equal(ImageShape.Wide, wide.Shape);
        Assert.Equal(ImageShape.Regular, square.Shape);
        Assert.Equal(8 / 24.0, narrow.AspectRatio, 6);
        Assert.Equal(16 * 16 / 784.0, square.Coverage, 6);
    }

    [Fact]
    public void Describe_Texture_TellsPlainStripedAndPatterned()
    {
        var plain = FashionMnistCaptions.Describe(Solid(20, 20, 200));
        var striped = FashionMnistCaptions.Describe(Rectangle(20, 20, (_, y) => (byte)(y % 2 == 0 ? 120 : 240)));
        var checkered = FashionMnistCaptions.Describe(Rectangle(20, 20, (x, y) => (byte)((x / 2 + y / 2) % 2 == 0 ? 120 : 240)));

        Assert.Equal(ImageTexture.Plain, plain.Texture);
        Assert.Equal(0, plain.TextureScore, 6);
        Assert.Equal(ImageTexture.Striped, striped.Texture);
        Assert.Equal(ImageTexture.Patterned, checkered.Texture);
    }

    [Fact]
    public void Describe_EmptyImage_IsDarkRegularPlain()
    {
        var empty = FashionMnistCaptions.Describe(new byte[Side * Side]);
        Assert.Equal(new ImageAttributes(ImageTone.Dark, ImageShape.Regular, ImageTexture.Plain, 0, 0, 1, 0), empty);
    }

    [Fact]
    public void Load_BadVocabulary_IsRejectedNamingFileAndProblem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cliplab-captions-{Guid.NewGuid():N}.json");
        string json = File.ReadAllText(FashionMnistCaptions.DefaultVocabularyPath).Replace("\"{noun} for sale\"", "\"{noun} for {price}\"");
        File.WriteAllText(path, json);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => FashionMnistCaptions.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("{price}", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
