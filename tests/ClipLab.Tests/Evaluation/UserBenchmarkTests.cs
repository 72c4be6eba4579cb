using ClipLab.Configuration;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Imaging;
using ClipLab.Text;
using Xunit;

namespace ClipLab.Tests.Evaluation;

public class UserBenchmarkTests
{
    /// <summary>A folder tree images/{cat,dog}/N.png (cats dark, dogs bright), a train.csv and pairs.csv.</summary>
    internal static string CreateBenchmarkFolder(string json)
    {
        string root = TinyRuns.TempDirectory();
        foreach (var (label, value) in new[] { ("cat", (byte)40), ("dog", (byte)220) })
        {
            Directory.CreateDirectory(Path.Combine(root, "images", label));
            for (int i = 0; i < 3; i++)
                File.WriteAllBytes(Path.Combine(root, "images", label, $"{i}.png"),
                    ImageEncoder.EncodePng(RgbImage.Filled(20 + i, 24, new RgbColor(value, (byte)(value / 2 + i), 10))));
        }
        File.WriteAllText(Path.Combine(root, "train.csv"), "filepath,label\nimages/cat/0.png,cat\nimages/dog/0.png,1\nimages/cat/1.png,0\nimages/dog/1.png,dog\n");
        File.WriteAllText(Path.Combine(root, "pairs.csv"),
            "filepath,title\nimages/cat/0.png,a dark cat\nimages/cat/0.png,the cat at night\nimages/dog/2.png,a bright dog\n");
        File.WriteAllText(Path.Combine(root, "benchmark.json"), json);
        return Path.Combine(root, "benchmark.json");
    }

    internal const string FullJson = """
        {
          "name": "pets",
          "templates": ["a photo of a {}.", "a picture of the {}."],
          "test": { "folder": "images" },
          "train": { "csv": "train.csv" },
          "retrieval": { "source": "pairs.csv" }
        }
        """;

    [Fact]
    public void FolderCsvAndPairsLoadWithLabelsByNameOrIndex()
    {
        string path = CreateBenchmarkFolder(FullJson);
        var tokenizer = ClipTokenizer.LoadDefault(16);
        var (classification, retrieval) = UserBenchmark.Load(path, imageSize: 16, channels: 3, tokenizer);

        Assert.NotNull(classification);
        Assert.Equal(["cat", "dog"], classification.Prompts.ClassNames);
        Assert.Equal(2, classification.Prompts.Templates.Count);
        Assert.Equal([0, 0, 0, 1, 1, 1], classification.Test.Labels);
        Assert.Equal([0, 1, 0, 1], classification.Train!.Labels);
        using var images = classification.Test.LoadImages();
        Assert.Equal(new long[] { 6, 3, 16, 16 }, images.shape);
        Assert.True(images[0, 0, 8, 8].item<byte>() < 60 && images[5, 0, 8, 8].item<byte>() > 200); // cats dark, dogs bright
        var (oneChannel, _) = UserBenchmark.Load(path, imageSize: 16, channels: 1, tokenizer);
        using var grayImages = oneChannel!.Test.LoadImages();
        Assert.Equal(new long[] { 6, 1, 16, 16 }, grayImages.shape);

        Assert.NotNull(retrieval);
        var pairs = retrieval.Load();
        Assert.Equal(2, pairs.Images.Count); // the cat image is listed twice: one image with two captions
        Assert.Equal([0, 0, 1], pairs.CaptionImage);
    }

    [Fact]
    public void LabelsThatAreNoClassAreReported()
    {
        string path = CreateBenchmarkFolder("""{ "name": "pets", "classnames": ["cat", "bird"], "test": { "folder": "images" } }""");
        var error = Assert.Throws<InvalidDataException>(() => UserBenchmark.Load(path, 16, 3, ClipTokenizer.LoadDefault(16)));
        Assert.Contains("label 'dog' is neither a class name (cat, bird)", error.Message);
    }

    [Fact]
    public void UnknownKeysAndMissingImagesAreConfigErrors()
    {
        string typo = CreateBenchmarkFolder("""{ "name": "pets", "tset": { "folder": "images" } }""");
        Assert.Throws<ConfigException>(() => BenchmarkFile.Load(typo));
        string neither = CreateBenchmarkFolder("""{ "name": "pets" }""");
        Assert.Contains("\"test\"", Assert.Throws<ConfigException>(() => BenchmarkFile.Load(neither)).Message);
        string both = CreateBenchmarkFolder("""{ "name": "pets", "test": { "folder": "images", "csv": "train.csv" } }""");
        Assert.Contains("exactly one of", Assert.Throws<ConfigException>(() => BenchmarkFile.Load(both)).Message);
    }
}
