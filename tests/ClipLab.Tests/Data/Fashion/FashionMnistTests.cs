using System.IO.Compression;
using ClipLab.Data;
using ClipLab.Data.Fashion;
using Xunit;

namespace ClipLab.Tests.Data.Fashion;

public class FashionMnistTests
{
    [Fact]
    public void ReadsBothSplitsOfTheDebianPackage()
    {
        var train = FashionMnist.Load(FashionMnistSplit.Train);
        var test = FashionMnist.Load(FashionMnistSplit.Test);
        Assert.Equal(60_000, train.Count);
        Assert.Equal(10_000, test.Count);
        Assert.Equal(28 * 28, train.Image(0).Length);
        // Balanced classes: 6,000 / 1,000 per class.
        Assert.All(train.Labels.GroupBy(l => l), g => Assert.Equal(6000, g.Count()));
        Assert.All(test.Labels.GroupBy(l => l), g => Assert.Equal(1000, g.Count()));
        Assert.Equal(9, train.Labels[0]); // the first training image is an ankle boot
    }

    [Fact]
    public void MissingFolderNamesThePackage()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => FashionMnist.Load(FashionMnistSplit.Test, "/nonexistent"));
        Assert.Contains("apt-get install dataset-fashion-mnist", ex.Message);
    }

    [Fact]
    public void TruncatedIdxFileIsReported()
    {
        string path = Path.Combine(TinyRuns.TempDirectory(), "bad-idx3-ubyte.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
            gz.Write(new byte[] { 0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3 });
        var ex = Assert.Throws<InvalidDataException>(() => IdxFile.ReadBytes(path));
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void ReadsAnUncompressedIdxFile()
    {
        string path = Path.Combine(TinyRuns.TempDirectory(), "ok-idx1-ubyte");
        File.WriteAllBytes(path, new byte[] { 0, 0, 8, 1, 0, 0, 0, 3, 7, 8, 9 });
        var (shape, data) = IdxFile.ReadBytes(path);
        Assert.Equal(new[] { 3 }, shape);
        Assert.Equal(new byte[] { 7, 8, 9 }, data);
    }
}
