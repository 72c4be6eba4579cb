using System.Text.Json;

namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// The 1000 ImageNet-1k classes as shipped in <c>assets/imagenet/</c>: WordNet ids in the standard sorted order
/// (index = position, as torchvision's ImageFolder and every pretrained classifier number them), the class names
/// CLIP and big_vision use for zero-shot, the prompt template sets, and the 200-class subsets of ImageNet-R and -A.
/// </summary>
public static class ImageNetClasses
{
    /// <summary>Template set names: CLIP's 80 ImageNet templates, big_vision's 8 best.</summary>
    public static IReadOnlyList<string> TemplateSets { get; } = ["clip", "best"];

    private static readonly Lazy<(string[] Wnids, string[] Names)> Table = new(LoadTable);
    private static readonly Lazy<Dictionary<string, int>> Index = new(() =>
        Table.Value.Wnids.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i, StringComparer.Ordinal));

    /// <summary>Folder of the shipped ImageNet assets.</summary>
    public static string AssetFolder => Path.Combine(AppContext.BaseDirectory, "assets", "imagenet");

    /// <summary>WordNet ids in sorted order (n01440764 … n15075141).</summary>
    public static IReadOnlyList<string> Wnids => Table.Value.Wnids;

    /// <summary>CLIP's zero-shot class names, in the same order ("tench", "goldfish" …).</summary>
    public static IReadOnlyList<string> Names => Table.Value.Names;

    /// <summary>The class index of a WordNet id, or -1.</summary>
    public static int IndexOf(string wnid) => Index.Value.TryGetValue(wnid, out int i) ? i : -1;

    /// <summary>Whether <paramref name="name"/> looks like a WordNet noun id (n + 8 digits).</summary>
    public static bool IsWnid(string name) => name.Length == 9 && name[0] == 'n' && name.Skip(1).All(char.IsAsciiDigit);

    /// <summary>The prompt templates of a set (<see cref="TemplateSets"/>).</summary>
    /// <exception cref="ArgumentException">Unknown set; the message lists the valid ones.</exception>
    public static IReadOnlyList<string> Templates(string set)
    {
        if (!TemplateSets.Contains(set)) throw new ArgumentException($"unknown template set '{set}'. Valid sets: {string.Join(", ", TemplateSets)}");
        return ReadStrings("templates.json", set);
    }

    /// <summary>The WordNet ids of a 200-class subset: <c>imagenet-r</c> or <c>imagenet-a</c>, in class-index order.</summary>
    public static IReadOnlyList<string> Subset(string name) => ReadStrings("subsets.json", name);

    private static string[] ReadStrings(string file, string key)
    {
        string path = Path.Combine(AssetFolder, file);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        if (!doc.RootElement.TryGetProperty(key, out var list)) throw new InvalidDataException($"{path} has no \"{key}\" list; reinstall ClipLab's assets");
        return list.EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    private static (string[] Wnids, string[] Names) LoadTable()
    {
        string path = Path.Combine(AssetFolder, "classes.tsv");
        var rows = File.ReadLines(path).Skip(1).Select(line => line.Split('\t')).ToArray();
        if (rows.Length != 1000 || rows.Any(r => r.Length != 3))
            throw new InvalidDataException($"{path} must hold 1000 rows of index, wnid, name; reinstall ClipLab's assets");
        return (rows.Select(r => r[1]).ToArray(), rows.Select(r => r[2]).ToArray());
    }
}
