using System.Text.Json;
using Xunit;

namespace ClipLab.Tests.Cli;

public class ModelsCommandTests
{
    [Fact]
    public void JsonListsEveryKindWithPublishedFigures()
    {
        var (code, output) = CliProcess.Run("models", "--json");
        Assert.True(code == 0, output);
        using var doc = JsonDocument.Parse(output);
        var rows = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["clip", "text", "vision"], rows.Select(r => r.GetProperty("kind").GetString()).Distinct().Order());
        foreach (var r in rows)
        {
            string kind = r.GetProperty("kind").GetString()!;
            Assert.True(r.GetProperty("params").GetInt64() > 0);
            Assert.True(r.GetProperty("gmacs").GetDouble() > 0);
            Assert.Equal(kind != "text", r.GetProperty("image_size").ValueKind == JsonValueKind.Number);
            Assert.Equal(kind != "vision", r.GetProperty("context_length").ValueKind == JsonValueKind.Number);
        }
        var vitB16 = rows.Single(r => r.GetProperty("name").GetString() == "vit-b-16" && r.GetProperty("kind").GetString() == "vision");
        Assert.InRange(vitB16.GetProperty("params").GetInt64() / 85.80e6, 0.99, 1.01);
        Assert.InRange(vitB16.GetProperty("gmacs").GetDouble() / 17.58, 0.97, 1.03);
        Assert.Equal(224, vitB16.GetProperty("image_size").GetInt32());
    }

    [Fact]
    public void TableShowsOneTablePerKindAndUnknownKindListsTheValidOnes()
    {
        var (code, output) = CliProcess.Run("models", "--kind", "text");
        Assert.True(code == 0, output);
        Assert.Contains("text-b", output);
        Assert.DoesNotContain("vit-b-16", output);

        (code, output) = CliProcess.Run("models", "--kind", "audio");
        Assert.Equal(2, code);
        Assert.Contains("Valid kinds: vision, text, clip", output);
    }
}
