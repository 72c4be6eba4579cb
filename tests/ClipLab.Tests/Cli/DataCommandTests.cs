using ClipLab.Data.WebDataset;
using ClipLab.Imaging;
using Xunit;

namespace ClipLab.Tests.Cli;

public class DataCommandTests
{
    [Fact]
    public void ShardsFromACsvHoldEveryRowAndTheManifestCountsThem()
    {
        string root = TinyRuns.TempDirectory();
        Directory.CreateDirectory(Path.Combine(root, "img"));
        var lines = new List<string> { "filepath,title" };
        for (int i = 0; i < 5; i++)
        {
            var image = new RgbImage(8, 8);
            Array.Fill(image.Pixels, (byte)(40 * i));
            File.WriteAllBytes(Path.Combine(root, "img", $"{i}.png"), ImageEncoder.EncodePng(image));
            lines.Add($"img/{i}.png,\"a grey square, shade {i}\"");
        }
        File.WriteAllLines(Path.Combine(root, "pairs.csv"), lines);

        string output = Path.Combine(root, "shards");
        var (code, text) = CliProcess.Run("data", "shards", "--from", Path.Combine(root, "pairs.csv"), "--out", output, "--per-shard", "2");
        Assert.True(code == 0, text);
        var manifest = ShardManifest.Load(Path.Combine(output, ShardManifest.FileName));
        Assert.Equal(5, manifest.TotalSamples);
        Assert.Equal(3, manifest.Shards.Count);
        var entries = manifest.Shards.SelectMany(s => new TarReader(File.OpenRead(Path.Combine(output, s.File))).Entries().Select(e => e.Name)).ToList();
        Assert.Contains(entries, n => n.EndsWith(".png"));
        Assert.Equal(5, entries.Count(n => n.EndsWith(".txt")));
    }

    [Fact]
    public void UnknownSourceAndImporterListTheValidForms()
    {
        var (code, text) = CliProcess.Run("data", "shards", "--from", "imagenet", "--out", TinyRuns.TempDirectory());
        Assert.Equal(2, code);
        Assert.Contains("fashion-mnist", text);
        (code, text) = CliProcess.Run("data", "import", "laion", "--out", TinyRuns.TempDirectory());
        Assert.Equal(2, code);
        Assert.Contains("openclipart, tuxpaint, emoji, fashion-mnist", text);
    }
}
