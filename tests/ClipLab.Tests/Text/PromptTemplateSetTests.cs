using ClipLab.Data;
using ClipLab.Data.Fashion;
using ClipLab.Text;
using Xunit;

namespace ClipLab.Tests.Text;

public sealed class PromptTemplateSetTests
{
    [Fact]
    public void LoadShipped_FashionMnist_HasTenClassesAndManyTemplates()
    {
        var set = PromptTemplateSet.LoadShipped("fashion-mnist");

        Assert.Equal("fashion-mnist", set.Name);
        Assert.Equal(["t-shirt", "trousers", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "ankle boot"], set.ClassNames);
        Assert.InRange(set.Templates.Count, 15, 20);
        Assert.Contains("a photo of a {}.", set.Templates);
    }

    [Fact]
    public void Prompts_FillTheClassNameIntoEveryTemplate()
    {
        var set = PromptTemplateSet.LoadShipped("fashion-mnist");
        var prompts = set.Prompts(9);

        Assert.Equal(set.Templates.Count, prompts.Count);
        Assert.Equal("a photo of a ankle boot.", prompts[set.Templates.ToList().IndexOf("a photo of a {}.")]);
        Assert.All(prompts, p => Assert.Contains("ankle boot", p));
        Assert.All(prompts, p => Assert.DoesNotContain("{}", p));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Prompts(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Prompts(-1));
    }

    [Fact]
    public void ShippedPrompts_DifferFromTrainingCaptionTemplates()
    {
        // Zero-shot must not reuse the caption wording the model was trained on.
        var prompts = PromptTemplateSet.LoadShipped("fashion-mnist");
        var captions = FashionMnistCaptions.Load();
        var captionTemplatesAsPrompts = captions.Templates
            .Select(t => t.Replace("{noun}", "{}").Replace("{article}", "a"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.NotEmpty(captions.Templates);
        foreach (string template in prompts.Templates)
        {
            Assert.DoesNotContain(template, captions.Templates);
            Assert.DoesNotContain(template, captionTemplatesAsPrompts);
            Assert.DoesNotContain(template.TrimEnd('.'), captionTemplatesAsPrompts);
        }
    }

    [Theory]
    [InlineData("""{ "name": "x", "classnames": ["a", "b"], "templates": ["a photo of a thing."] }""", "exactly once")]
    [InlineData("""{ "name": "x", "classnames": ["a", "b"], "templates": ["a {} next to a {}."] }""", "exactly once")]
    [InlineData("""{ "name": "x", "classnames": [], "templates": ["a photo of a {}."] }""", "at least one class")]
    [InlineData("""{ "name": "x", "classnames": ["a"], "templates": [] }""", "at least one template")]
    [InlineData("""{ "name": "x", "classnames": ["a", " "], "templates": ["a photo of a {}."] }""", "blank")]
    [InlineData("""{ "name": "x", "classnames": ["a" """, "not valid JSON")]
    public void Load_BadFile_IsRejectedNamingFileAndProblem(string json, string problem)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cliplab-prompts-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => PromptTemplateSet.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains(problem, ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadShipped_UnknownName_ListsShippedSets()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => PromptTemplateSet.LoadShipped("no-such-dataset"));
        Assert.Contains("no-such-dataset", ex.Message);
        Assert.Contains("fashion-mnist", ex.Message);
    }

    [Fact]
    public void Constructor_ValidatesTemplates()
    {
        Assert.Throws<ArgumentException>(() => new PromptTemplateSet("x", ["a"], ["no placeholder"]));
        var set = new PromptTemplateSet("x", ["cat"], ["a {} here"]);
        Assert.Equal(["a cat here"], set.Prompts(0));
    }
}
