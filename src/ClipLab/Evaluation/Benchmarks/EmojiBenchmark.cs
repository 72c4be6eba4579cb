using System.Text.Json;
using ClipLab.Data;
using ClipLab.Data.WebDataset;
using ClipLab.Evaluation.Features;
using ClipLab.Text;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Zero-shot classification of emoji by Unicode group ("smileys and emotion", "animals and nature" …, 9
/// classes) and by subgroup ("face smiling", "animal mammal" …, about 100), from the shards written by
/// <c>cliplab data import emoji --out DIR</c>: each sample's JSON carries its group and subgroup. Class names
/// are the Unicode names in lower case with '&amp;' spelled "and" and '-' as a space, in the order they first
/// appear (emoji-test.txt order); the prompt templates are the shipped <c>emoji</c> set. Both benchmarks share
/// one image set, so its features are computed once.
/// </summary>
/// <remarks>
/// The emoji are part of the default pre-training corpus (<c>cliplab data corpus</c>), so for models trained on
/// it these benchmarks measure recall of seen images rather than generalisation.
/// </remarks>
public static class EmojiBenchmark
{
    /// <summary>Name of the group benchmark.</summary>
    public const string GroupName = "emoji-group";

    /// <summary>Name of the subgroup benchmark.</summary>
    public const string SubgroupName = "emoji-subgroup";

    /// <summary>Where the documentation suggests building the shards.</summary>
    public const string DefaultFolder = "data/emoji";

    /// <summary>How to build the shards, for messages.</summary>
    public const string BuildCommand = "./cliplab data import emoji --out " + DefaultFolder;

    private const string RecipeVersion = "v1";

    /// <summary>
    /// The two benchmarks from the shards in <paramref name="folder"/>, or null with a <paramref name="reason"/>
    /// saying how to build them when the folder holds no shard manifest.
    /// </summary>
    /// <exception cref="InvalidDataException">The shards exist but a sample lacks its group or subgroup.</exception>
    public static (ClassificationBenchmark Group, ClassificationBenchmark Subgroup)? TryCreate(string folder, int imageSize, int channels, out string reason)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string manifestPath = Path.Combine(folder, ShardManifest.FileName);
        if (!File.Exists(manifestPath))
        {
            reason = $"no emoji shards at {Path.GetFullPath(folder)} (build them with `./cliplab data import emoji --out {folder}`, or pass --emoji DIR)";
            return null;
        }
        var manifest = ShardManifest.Load(manifestPath);
        var images = new List<EvaluationImage>();
        var groups = new List<string>();
        var subgroups = new List<string>();
        var bad = new BadSampleCounter(maxBadFraction: 1.0);
        foreach (var shard in manifest.Shards)
        foreach (var sample in ShardSampleReader.Read(Path.Combine(folder, shard.File), bad))
        {
            string? group = null, subgroup = null;
            if (sample.Json is not null)
            {
                using var doc = JsonDocument.Parse(sample.Json);
                if (doc.RootElement.TryGetProperty("group", out var g)) group = g.GetString();
                if (doc.RootElement.TryGetProperty("subgroup", out var s)) subgroup = s.GetString();
            }
            if (string.IsNullOrWhiteSpace(group) || string.IsNullOrWhiteSpace(subgroup))
                throw new InvalidDataException($"{sample.Origin}: emoji sample without group/subgroup in its JSON; rebuild the shards with `{BuildCommand}`");
            images.Add(EvaluationImage.FromBytes(sample.Image, sample.Origin));
            groups.Add(ClassName(group));
            subgroups.Add(ClassName(subgroup));
        }
        if (images.Count == 0)
        {
            reason = $"the emoji shards at {Path.GetFullPath(folder)} hold no readable samples ({bad.Summary()})";
            return null;
        }

        var templates = PromptTemplateSet.LoadShipped("emoji").Templates;
        var (groupNames, groupLabels) = Index(groups);
        var (subgroupNames, subgroupLabels) = Index(subgroups);
        string recipe = $"emoji {RecipeVersion}: {images.Count} images of shards {string.Join(",", manifest.Shards.Select(s => s.Sha256[..Math.Min(12, s.Sha256.Length)]))}, " +
                        $"resize_center_crop({imageSize}, 0.875), {channels} channel(s)";
        // One cache entry serves both benchmarks: the labels differ, the pixels do not.
        Func<int, IEnumerable<TorchSharp.torch.Tensor>> load = batchSize => EvaluationImages.Batches(images, imageSize, channels, batchSize);
        var byGroup = new ClassificationBenchmark(GroupName, new PromptTemplateSet(GroupName, groupNames, templates),
            new LabeledImageSet("emoji/all", recipe, groupLabels, load));
        var bySubgroup = new ClassificationBenchmark(SubgroupName, new PromptTemplateSet(SubgroupName, subgroupNames, templates),
            new LabeledImageSet("emoji/all", recipe, subgroupLabels, load));
        reason = "";
        return (byGroup, bySubgroup);
    }

    /// <summary>A Unicode group or subgroup name as a class name: "Smileys &amp; Emotion" → "smileys and emotion", "face-smiling" → "face smiling".</summary>
    public static string ClassName(string unicodeName) =>
        unicodeName.Replace("&", "and", StringComparison.Ordinal).Replace('-', ' ').ToLowerInvariant().Trim();

    private static (string[] Names, int[] Labels) Index(List<string> values)
    {
        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new int[values.Count];
        for (int i = 0; i < values.Count; i++)
        {
            if (!index.TryGetValue(values[i], out int label))
            {
                label = names.Count;
                index[values[i]] = label;
                names.Add(values[i]);
            }
            labels[i] = label;
        }
        return (names.ToArray(), labels);
    }
}
