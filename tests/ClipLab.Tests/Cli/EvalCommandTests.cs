using System.Text.Json;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

public class EvalCommandTests
{
    [Fact]
    public void EvaluatesARunFolderAndWritesOnlyTheRequestedTasks()
    {
        string run = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 5), run)) trainer.Run();
        string json = Path.Combine(run, "eval.json");

        var (code, output) = CliProcess.Run("eval", "--checkpoint", run, "--task", "retrieval", "--json", json);
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal(JsonValueKind.Null, doc.RootElement.GetProperty("zeroshot").ValueKind);
        var i2t = doc.RootElement.GetProperty("retrieval").GetProperty("image_to_text");
        double r1 = i2t.GetProperty("r1").GetDouble(), r10 = i2t.GetProperty("r10").GetDouble();
        Assert.InRange(r1, 0, 1);
        Assert.True(r10 >= r1);
        Assert.Equal(200, doc.RootElement.GetProperty("retrieval").GetProperty("texts").GetInt32()); // 100 images × 2 captions
    }

    [Fact]
    public void UnknownTaskListsTheValidOnes()
    {
        var (code, output) = CliProcess.Run("eval", "--checkpoint", TinyRuns.TempDirectory(), "--task", "linear");
        Assert.Equal(2, code);
        Assert.Contains("Valid tasks: zeroshot, retrieval", output);
    }
}
