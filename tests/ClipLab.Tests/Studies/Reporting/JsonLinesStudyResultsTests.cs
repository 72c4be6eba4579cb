using ClipLab.Studies.Reporting;
using Xunit;

namespace ClipLab.Tests.Studies.Reporting;

public sealed class JsonLinesStudyResultsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cliplab-results-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void RecordsRoundTripThroughTheFile()
    {
        var runs = StudyTables.DataQuality();
        JsonLinesStudyResults.Write(_dir, runs);
        var loaded = new JsonLinesStudyResults().Load(_dir);
        Assert.Equal(runs.Count, loaded.Count);
        Assert.Equal(runs[4].RunId, loaded[4].RunId);
        Assert.Equal(runs[4].Axes["data.keepTop"], loaded[4].Axes["data.keepTop"]);
        Assert.Equal(runs[4].Metrics[StudyTables.ImageToText], loaded[4].Metrics[StudyTables.ImageToText]);
        Assert.Equal(runs[4].TotalGflops, loaded[4].TotalGflops);
        Assert.Contains("\"samplesSeen\":20000", File.ReadLines(Path.Combine(_dir, JsonLinesStudyResults.FileName)).First());
    }

    [Fact]
    public void ATruncatedLineIsNamedByItsNumber()
    {
        JsonLinesStudyResults.Write(_dir, StudyTables.DataQuality().Take(3));
        string path = Path.Combine(_dir, JsonLinesStudyResults.FileName);
        var lines = File.ReadAllLines(path);
        lines[1] = lines[1][..(lines[1].Length / 2)];
        File.WriteAllLines(path, lines);
        var ex = Assert.Throws<InvalidDataException>(() => new JsonLinesStudyResults().Load(_dir));
        Assert.Contains("line 2", ex.Message);
    }

    [Fact]
    public void AFolderWithoutResultsSaysSo()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => new JsonLinesStudyResults().Load(_dir));
        Assert.Contains("holds no study results", ex.Message);
    }
}
