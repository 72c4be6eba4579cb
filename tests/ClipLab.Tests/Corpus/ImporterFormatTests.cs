using System.Text;
using ClipLab.Corpus;
using SkiaSharp;
using Xunit;

namespace ClipLab.Tests.Corpus;

/// <summary>Unit tests of the package formats on tiny hand-written files.</summary>
public class ImporterFormatTests
{
    internal const string FrogSvg = """
        <?xml version="1.0" encoding="UTF-8" standalone="no"?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:cc="http://web.resource.org/cc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
          <metadata>
            <rdf:RDF>
              <cc:Work rdf:about="">
                <dc:title>  Two   dead frogs </dc:title>
                <dc:description>A &amp;quot;green&amp;quot; frog &lt;b&gt;pair&lt;/b&gt; in a swamp</dc:description>
                <dc:subject><rdf:Bag><rdf:li>frog</rdf:li><rdf:li></rdf:li><rdf:li>unsorted</rdf:li><rdf:li>swamp</rdf:li><rdf:li>Frog</rdf:li><rdf:li>animal</rdf:li></rdf:Bag></dc:subject>
                <dc:publisher><cc:Agent><dc:title>Open Clip Art Library</dc:title></cc:Agent></dc:publisher>
              </cc:Work>
            </rdf:RDF>
          </metadata>
          <rect width="10" height="10"/>
        </svg>
        """;

    [Fact]
    public void SvgMetadataGivesTitleDescriptionAndKeywords()
    {
        var metadata = OpenClipartMetadata.Read(new MemoryStream(Encoding.UTF8.GetBytes(FrogSvg)));
        Assert.Equal("Two dead frogs", metadata.Title); // not the publisher agent's title
        Assert.Equal("A \"green\" frog pair in a swamp", metadata.Description);
        Assert.Equal(["frog", "unsorted", "swamp", "animal"], metadata.Keywords);

        var (caption, title, fromFile) = OpenClipartCaption.Build(metadata, "animals/2_dead_frogs_01.png", new HashSet<string>());
        Assert.Equal("Two dead frogs. A \"green\" frog pair in a swamp. keywords: frog, swamp, animal", caption);
        Assert.Equal("Two dead frogs", title);
        Assert.False(fromFile);
    }

    [Fact]
    public void GenericTitleFallsBackToTheFileName()
    {
        var metadata = new OpenClipartMetadata("gramastar", "", ["stars", "shapes"]);
        var (caption, _, fromFile) = OpenClipartCaption.Build(metadata, "shapes/stars/star_49pt05step.png", new HashSet<string> { "gramastar" });
        Assert.True(fromFile);
        Assert.Equal("star 49pt05step. keywords: stars, shapes", caption);

        var credit = new OpenClipartMetadata("Clipart by Nicu Buculei - jigsaw_red_10", "nicu@example.org", []);
        Assert.Equal("jigsaw red.", OpenClipartCaption.Build(credit, "shapes/jigsaw/jigsaw_red_07.png", new HashSet<string>()).Caption);

        var nothing = new OpenClipartMetadata("", "", ["shapes"]);
        Assert.Equal("", OpenClipartCaption.Build(nothing, "x/01.png", new HashSet<string>()).Caption);
    }

    [Fact]
    public void TuxpaintDescriptionIsTheEnglishLine()
    {
        const string text = "A US 25 cent piece ($.25) called a quarter.\nde.utf8=Eine 25-Cent-Münze.\npt_BR.utf8=Uma moeda.\nsr@latin.utf8=25 stotih.\n";
        Assert.Equal("A US 25 cent piece ($.25) called a quarter.", TuxpaintDescription.English(text));
        Assert.Equal("A calculator. 6x7=42", TuxpaintDescription.English("A calculator.  6x7=42\nfr.utf8=Une calculatrice.")); // '=' in English text
        Assert.Equal("A cat.", TuxpaintDescription.English("\n\nde.utf8=Eine Katze.\nen.utf8=A cat.\n"));
        Assert.Equal("", TuxpaintDescription.English("de.utf8=Nur Deutsch.\n"));
    }

    [Fact]
    public void EmojiTestLinesKeepGroupAndSubgroup()
    {
        string[] lines =
        [
            "# Status Counts header, not a group",
            "# group: Smileys & Emotion",
            "",
            "# subgroup: face-smiling",
            "1F600                                                  ; fully-qualified     # 😀 E1.0 grinning face",
            "263A FE0F                                              ; fully-qualified     # ☺️ E0.6 smiling face",
            "263A                                                   ; unqualified         # ☺ E0.6 smiling face",
            "# group: Flags",
            "# subgroup: country-flag",
            "1F1EF 1F1F5                                            ; fully-qualified     # 🇯🇵 E0.6 flag: Japan",
        ];
        var entries = EmojiTestFile.Parse(lines).ToList();
        Assert.Equal(4, entries.Count);
        Assert.Equal(3, entries.Count(e => e.IsFullyQualified));
        Assert.Equal([0x1F600], entries[0].CodePoints);
        Assert.Equal(("grinning face", "E1.0", "Smileys & Emotion", "face-smiling", 5), (entries[0].Name, entries[0].Version, entries[0].Group, entries[0].Subgroup, entries[0].Line));
        Assert.Equal("263A FE0F", entries[1].CodePointsHex);
        Assert.Equal("unqualified", entries[2].Status);
        Assert.Equal(("flag: Japan", "Flags", "country-flag"), (entries[3].Name, entries[3].Group, entries[3].Subgroup));
        Assert.Equal("🇯🇵", entries[3].Text);

        var ex = Assert.Throws<InvalidDataException>(() => EmojiTestFile.Parse(["XYZ ; fully-qualified # ? E1.0 bad"]).ToList());
        Assert.Contains("line 1", ex.Message);
    }

    [Fact]
    public void TransparentPngIsFlattenedOntoWhite()
    {
        byte[] png = TestImages.HalfTransparentPng(40, 20);
        var header = PngHeader.TryRead(png)!;
        Assert.Equal((40, 20, true), (header.Width, header.Height, header.HasTransparency));

        byte[] flat = WhiteBackground.FlattenToPng(png, maxSide: 20)!;
        using var bitmap = SKBitmap.Decode(flat);
        Assert.Equal((20, 10), (bitmap.Width, bitmap.Height)); // shrunk to the longer side, aspect kept
        Assert.Equal(SKColors.White, bitmap.GetPixel(2, 5)); // was transparent (with black hidden RGB)
        var red = bitmap.GetPixel(17, 5);
        Assert.True(red.Red > 240 && red.Green < 20 && red.Blue < 20, $"opaque half stays red, got {red}");
        Assert.False(PngHeader.TryRead(flat)!.HasTransparency && bitmap.Pixels.Any(p => p.Alpha < 255));
        Assert.Null(WhiteBackground.FlattenToPng([1, 2, 3]));
        Assert.Null(PngHeader.TryRead("GIF89a not a png at all, long enough to test"u8));
    }

    [Fact]
    public void HeldOutSplitIsAFixedTwoPercentByKey()
    {
        Assert.Equal(HeldOutSplit.Of("emoji-1F600"), HeldOutSplit.Of("emoji-1F600"));
        Assert.Equal(0xcbf29ce484222325UL, HeldOutSplit.Hash("")); // FNV-1a offset basis: the rule is the documented hash
        var keys = Enumerable.Range(0, 20_000).Select(i => $"fashion-mnist-train-{i:D5}").ToList();
        double share = keys.Count(k => HeldOutSplit.Of(k) == CorpusSplit.HeldOut) / (double)keys.Count;
        Assert.InRange(share, 0.015, 0.025);
        Assert.All(keys.Take(100), k => Assert.Equal(CorpusSplit.Train, HeldOutSplit.Of(k, 0)));
        Assert.All(keys.Take(100), k => Assert.Equal(CorpusSplit.HeldOut, HeldOutSplit.Of(k, 1000)));
    }

    [Fact]
    public void MissingPackagesNameThePackageAndTheFix()
    {
        var clip = Assert.Throws<DirectoryNotFoundException>(() => new OpenClipartImporter("/nonexistent/png"));
        Assert.Contains("apt-get install openclipart-png", clip.Message);
        var svg = Assert.Throws<DirectoryNotFoundException>(() => new OpenClipartImporter(OpenClipartImporter.DefaultPngRoot, "/nonexistent/svg"));
        Assert.Contains("apt-get install openclipart-svg", svg.Message);
        var tux = Assert.Throws<DirectoryNotFoundException>(() => new TuxpaintImporter("/nonexistent"));
        Assert.Contains("apt-get install tuxpaint-stamps-default", tux.Message);
        var font = Assert.Throws<FileNotFoundException>(() => new EmojiImporter(fontPath: "/nonexistent.ttf"));
        Assert.Contains("apt-get install fonts-noto-color-emoji", font.Message);
        var unicode = Assert.Throws<FileNotFoundException>(() => new EmojiImporter("/nonexistent.txt"));
        Assert.Contains("apt-get install unicode-data", unicode.Message);
        var fashion = Assert.Throws<FileNotFoundException>(() => new FashionMnistImporter(root: "/nonexistent"));
        Assert.Contains("apt-get install dataset-fashion-mnist", fashion.Message);
        Assert.Contains("scripts/setup.sh", fashion.Message);
    }

    [Fact]
    public void KeysHaveNoDotsOrSlashes()
    {
        Assert.Equal("openclipart-computer-microchip_v_2_havok", SampleKeyProbe("openclipart", "computer/microchip_v.2_havok.png"));
    }

    private static string SampleKeyProbe(string source, string path) => SampleKey.FromPath(source, path);
}
