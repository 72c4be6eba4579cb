using ClipLab.Data;
using ClipLab.Data.Sources;
using Xunit;

namespace ClipLab.Tests.Data.Sources;

public class CsvSourceTests
{
    [Fact]
    public void ParserHandlesQuotesSeparatorsAndNewlines()
    {
        var records = DelimitedTextReader.Parse("\uFEFFa,b\r\n\"x, y\",\"he said \"\"hi\"\"\nnext line\"\n\nplain,\n", ',');
        Assert.Equal(3, records.Count);
        Assert.Equal(["a", "b"], records[0].Fields);
        Assert.Equal(["x, y", "he said \"hi\"\nnext line"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
        Assert.Equal(["plain", ""], records[2].Fields);
        Assert.Equal(5, records[2].Line);
        Assert.Throws<FormatException>(() => DelimitedTextReader.Parse("a\n\"open", ','));
    }

    [Fact]
    public void ReadsRowsWithRelativePathsAndCountsBadRows()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp.File("img"));
        File.WriteAllBytes(temp.File("img/a.jpg"), FakeImages.Jpeg(1));
        File.WriteAllBytes(temp.File("img/b c.png"), FakeImages.Png(2));
        File.WriteAllText(temp.File("img/text.jpg"), "not an image");
        File.WriteAllText(temp.File("train.csv"),
            "id,filepath,title\n" +
            "1,img/a.jpg,\"a cat, sitting\"\n" +
            "2,\"img/b c.png\",\"two\nlines \"\"quoted\"\"\"\n" +
            "3,img/missing.jpg,gone\n" +
            "4,img/a.jpg,\"  \"\n" +
            "5,img/text.jpg,fake\n");
        var source = new CsvSource(new CsvSourceOptions(temp.File("train.csv")) { Separator = ',' });
        Assert.Equal(5, source.Count);
        var bad = new BadSampleCounter(maxBadFraction: 1);
        var samples = source.Read(SourcePartition.All, 0, 1, bad).ToList();
        Assert.Equal(["a cat, sitting", "two\nlines \"quoted\""], samples.Select(s => s.Caption));
        Assert.Equal(["jpg", "png"], samples.Select(s => s.ImageExtension));
        Assert.Equal(FakeImages.Png(2), samples[1].Image);
        Assert.Equal(1, bad.ByReason[SkipReason.UnreadableFile]);
        Assert.Equal(1, bad.ByReason[SkipReason.EmptyCaption]);
        Assert.Equal(1, bad.ByReason[SkipReason.NotAnImage]);
        Assert.Contains("missing.jpg", bad.Summary());
    }

    [Fact]
    public void TabSeparatedByDefaultAndPartitionedShuffledDeterministically()
    {
        using var temp = new TempFolder();
        File.WriteAllBytes(temp.File("x.jpg"), FakeImages.Jpeg(1));
        File.WriteAllLines(temp.File("t.tsv"), ["filepath\ttitle", .. Enumerable.Range(0, 41).Select(i => $"x.jpg\tcaption {i}")]);
        var source = new CsvSource(new CsvSourceOptions(temp.File("t.tsv")) { Shuffle = true });
        var parts = Enumerable.Range(0, 4).Select(w => new SourcePartition(0, 1, w, 4)).ToList();
        List<string> Read(SourcePartition p, int epoch) => source.Read(p, epoch, 9, new BadSampleCounter()).Select(s => s.Caption).ToList();
        var epoch0 = parts.SelectMany(p => Read(p, 0)).ToList();
        Assert.Equal(Enumerable.Range(0, 41).Select(i => $"caption {i}").Order(), epoch0.Order());
        Assert.Equal(epoch0, parts.SelectMany(p => Read(p, 0)));
        Assert.NotEqual(epoch0, parts.SelectMany(p => Read(p, 1)));
    }

    [Fact]
    public void MissingColumnErrorListsTheHeader()
    {
        using var temp = new TempFolder();
        File.WriteAllText(temp.File("t.csv"), "path,caption\nx.jpg,hi\n");
        var ex = Assert.Throws<InvalidDataException>(() => new CsvSource(new CsvSourceOptions(temp.File("t.csv")) { Separator = ',' }));
        Assert.Contains("'filepath' and 'title'", ex.Message);
        Assert.Contains("'path', 'caption'", ex.Message);
    }
}
