using System.Xml.Linq;
using ClipLab.Studies.Reporting;
using SkiaSharp;
using Xunit;
using static ClipLab.Tests.Studies.Reporting.StudyTables;

namespace ClipLab.Tests.Studies.Reporting;

public class StudyFiguresTests
{
    [Fact]
    public void ReportedMetricsAreTheHeadlineOnesInOrder()
    {
        var metrics = ReportedMetric.Select(DataQuality().SelectMany(r => r.Metrics.Keys));
        Assert.Equal([ZeroShot, Shifted, Probe, FewShot10, ImageToText, TextToImage], metrics.Select(m => m.Name));
        Assert.Equal("zero-shot top-1 (%)", metrics[0].Label);
        Assert.Equal("10-shot top-1 (%)", metrics[3].Label);
    }

    [Fact]
    public void FiguresHaveTitleAxisLabelsWithUnitsAndALegendPerLine()
    {
        var figures = StudyFigures.Draw("data-quality", "cpu", DataQuality());
        Assert.Equal(12, figures.Count); // 6 metrics × (samples seen, GFLOPs)
        var samples = figures.Single(f => f.Name == "data-quality-fashion-mnist-zeroshot-top1-vs-samples");
        var compute = figures.Single(f => f.Name == "data-quality-fashion-mnist-zeroshot-top1-vs-gflops");
        foreach (var (figure, xLabel) in new[] { (samples, StudyFigures.SamplesSeenLabel), (compute, StudyFigures.ComputeLabel) })
        {
            string text = SvgText(figure.Svg);
            Assert.Contains(xLabel, text);
            Assert.Contains("zero-shot top-1 (%)", text);
            Assert.Contains(figure.Title, text);
            foreach (var keep in new[] { "0.2", "0.4", "0.6", "0.8", "1" })
                Assert.Contains($"data.keepTop = {keep} (3 seeds)", text);
            Assert.Contains(StudyFigures.SpreadLegend, text);
            AssertNotBlank(figure.Png);
        }
    }

    [Fact]
    public void LinesFollowTheNonBudgetAxesAndPointsTheSamplesSeen()
    {
        var runs = new[] { 1000L, 4000L }.SelectMany(samples =>
                new[] { "0.4", "1" }.SelectMany(keep => new[] { 0, 1 }.Select(seed =>
                    Run("data-quality", new Dictionary<string, string> { ["data.keepTop"] = keep, ["training.samplesSeen"] = samples.ToString() }, seed, samples,
                        new Dictionary<string, double> { [ZeroShot] = 0.5 + samples / 1e5 + seed / 100.0 }))))
            .ToList();
        var lines = StudyLine.Of(runs, ZeroShot);
        Assert.Equal(["data.keepTop = 0.4", "data.keepTop = 1"], lines.Select(l => l.Label));
        Assert.Equal([1000L, 4000L], lines[0].Points.Select(p => p.SamplesSeen));
        Assert.Equal(2, lines[0].Points[1].Spread.Seeds);
        Assert.Equal(0.54, lines[0].Points[1].Spread.Min, 9);
        Assert.Equal(0.55, lines[0].Points[1].Spread.Max, 9);
        Assert.Equal(2000, lines[0].Points[1].TotalGflops, 9);
    }

    [Fact]
    public void CompactNumbersUseSiPrefixes()
    {
        Assert.Equal("20k", StudyFigures.Compact(20_000));
        Assert.Equal("3.4G", StudyFigures.Compact(3.4e9));
        Assert.Equal("0.5", StudyFigures.Compact(0.5));
    }

    [Fact]
    public void LogTicksSitAtRoundValues()
    {
        var ticks = StudyFigures.LogTickValues(3_100, 49_600).Where(t => t.Major).Select(t => t.Label).ToList();
        Assert.Equal(["3k", "10k", "30k"], ticks);
        var wide = StudyFigures.LogTickValues(1e3, 1e7).Where(t => t.Major).Select(t => t.Label).ToList();
        Assert.Equal(["1k", "10k", "100k", "1M", "10M"], wide);
    }

    internal static string SvgText(string svg) =>
        string.Join("\n", XDocument.Parse(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));

    internal static void AssertNotBlank(byte[] png)
    {
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        var colours = new HashSet<uint>();
        int dark = 0;
        for (int y = 0; y < bitmap.Height; y += 2)
        for (int x = 0; x < bitmap.Width; x += 2)
        {
            var c = bitmap.GetPixel(x, y);
            colours.Add((uint)c);
            if (c.Red + c.Green + c.Blue < 300) dark++;
        }
        Assert.True(colours.Count > 20, $"only {colours.Count} colours: the image looks blank");
        Assert.True(dark > 500, $"only {dark} dark pixels: the image looks blank");
    }
}
