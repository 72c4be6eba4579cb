using System.Text.RegularExpressions;
using ClipLab.Inference;
using ClipLab.Tests.Interop;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

/// <summary>The real CLI: export onnx (with both checks), embed and search on the export, and their error lines.</summary>
public sealed class OnnxCommandsTests
{
    private static string TrainedRun()
    {
        string run = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 5), run)) trainer.Run();
        return run;
    }

    [Fact]
    public void ExportVerifiesAndScoresZeroShotTheSameThroughBothRuntimes()
    {
        string run = TrainedRun();
        string output = Path.Combine(run, "onnx");

        var (code, text) = CliProcess.Run("export", "onnx", "--checkpoint", run, "--out", output, "--verify", "--zero-shot", "--threads", "1");

        Assert.True(code == 0, text);
        Assert.Contains("verified", text);
        var diff = double.Parse(Regex.Match(text, @"max abs difference (\S+) ≤").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(diff, 0, 1e-4);
        var torch = Regex.Match(text, @"TorchSharp\s*│\s*([0-9.]+)").Groups[1].Value;
        var onnx = Regex.Match(text, @"ONNX Runtime\s*│\s*([0-9.]+)").Groups[1].Value;
        Assert.Matches(@"^0\.\d{4}$", torch);
        Assert.Equal(torch, onnx); // zero-shot top-1 equal to the fourth decimal
        Assert.Equal(OnnxModelManifest.Load(output).EmbedDim, TinyRuns.Model.EmbedDim);
    }

    [Fact]
    public void EmbedAndSearchUseTheExportedFolder()
    {
        using var model = OnnxTestModels.Clip("vit");
        string exported = OnnxTestModels.Export(model, "tiny-vit");
        string images = OnnxTestModels.ImageFolder();
        string imageJson = Path.Combine(TinyRuns.TempDirectory(), "images.json");
        string textJson = Path.Combine(TinyRuns.TempDirectory(), "texts.json");

        var (code, text) = CliProcess.Run("embed", "--model", exported, "--images", images, "--out", imageJson);
        Assert.True(code == 0, text);
        var imageFile = EmbeddingFile.Load(imageJson);
        Assert.Equal(("tiny-vit", "image", 24, 5), (imageFile.Model, imageFile.Kind, imageFile.EmbedDim, imageFile.Items.Count));
        Assert.All(imageFile.Items, item => Assert.Equal(1.0, Math.Sqrt(item.Embedding.Sum(v => (double)v * v)), 4));

        (code, text) = CliProcess.Run("embed", "--model", exported, "--text", "a red shirt", "--text", "a blue shoe", "--out", textJson);
        Assert.True(code == 0, text);
        var textFile = EmbeddingFile.Load(textJson);
        Assert.Equal(["a red shirt", "a blue shoe"], textFile.Items.Select(i => i.Source));

        (code, text) = CliProcess.Run("search", "--model", exported, "--images", images, "--text", "a red shirt", "--top", "3");
        Assert.True(code == 0, text);
        Assert.Contains("5 images", text);
        // The table ranks by the similarities `embed` wrote: dot products of the text's and each image's embedding.
        var query = textFile.Items[0].Embedding;
        var expected = imageFile.Items.OrderByDescending(i => i.Embedding.Zip(query, (a, b) => a * b).Sum()).Take(3)
            .Select(i => Path.GetRelativePath(images, i.Source)).ToList();
        var rows = Regex.Matches(text, @"│\s*(\d)\s*│\s*(-?[0-9.]+)\s*│\s*(\S+)\s*│").Select(m => m.Groups[3].Value).ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public void MistakesGiveOneLine()
    {
        string notExported = TinyRuns.TempDirectory();
        var (code, text) = CliProcess.Run("search", "--model", notExported, "--images", notExported, "--text", "x");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", text.Trim());
        Assert.Contains("is not an exported model", text);
        Assert.Single(text.Trim().Split('\n'));

        (code, text) = CliProcess.Run("embed", "--model", notExported, "--out", Path.Combine(notExported, "x.json"));
        Assert.Equal(2, code);
        Assert.Contains("give either --images DIR or --text", text);
    }
}
