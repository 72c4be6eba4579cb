using System.Text.Json;
using ClipLab.Interop.Safetensors;
using ClipLab.Training;
using Xunit;

namespace ClipLab.Tests.Cli;

public class SafetensorsCommandTests
{
    [Fact]
    public void ExportThenImport_GivesARunWithTheSameWeightsThatEvalEvaluates()
    {
        string run = TinyRuns.TempDirectory();
        using (var trainer = new Trainer(TinyRuns.Config(samples: 64 * 5), run)) trainer.Run();
        string weights = Path.Combine(run, "export", "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(weights)!);

        var (code, output) = CliProcess.Run("export", "safetensors", "--checkpoint", run, "--out", weights);
        Assert.True(code == 0, output);
        using (var file = SafetensorsFile.Open(weights))
        {
            Assert.Contains(file.Entries, e => e.Name == "visual.transformer.resblocks.0.attn.in_proj_weight");
            Assert.Contains(file.Entries, e => e.Name == "text_projection");
        }

        using (var config = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(weights, ".json"))))
        {
            Assert.Equal(32, config.RootElement.GetProperty("embed_dim").GetInt32());
            Assert.True(config.RootElement.GetProperty("vision_cfg").GetProperty("no_ln_pre").GetBoolean());
            Assert.Equal("eos", config.RootElement.GetProperty("text_cfg").GetProperty("pool_type").GetString());
        }

        string imported = Path.Combine(run, "imported");
        (code, output) = CliProcess.Run("import", "--weights", weights, "--out", imported);
        Assert.True(code == 0, output);
        Assert.Contains("cliplab eval --checkpoint", output);

        // The imported run holds the trained weights bit for bit, and `cliplab eval` evaluates it.
        var (_, _, original, _) = Checkpoint.LoadTrained(run);
        var (_, _, back, _) = Checkpoint.LoadTrained(imported);
        using (original)
        using (back)
        {
            var expected = original.state_dict();
            var actual = back.state_dict();
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (name, tensor) in expected)
            {
                using var equal = tensor.eq(actual[name]).all();
                Assert.True(equal.item<bool>(), name);
            }
        }

        string json = Path.Combine(run, "imported.json");
        (code, output) = CliProcess.Run("eval", "--checkpoint", imported, "--task", "zeroshot", "--json", json);
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.InRange(doc.RootElement.GetProperty("benchmarks").GetProperty("fashion-mnist").GetProperty("zeroshot").GetProperty("top1").GetDouble(), 0, 1);

        // Importing into an existing run, or with a config of another size, stops with one line naming the problem.
        (code, output) = CliProcess.Run("import", "--weights", weights, "--out", imported);
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", output);
        (code, output) = CliProcess.Run("import", "--weights", weights, "--model", "clip-vit-nano-p8-32", "--out", Path.Combine(run, "wrong"));
        Assert.Equal(2, code);
        Assert.Contains("error: ", output);
        Assert.Contains("has shape", output);
        Assert.DoesNotContain("   at ", output);
    }
}
