using System.Globalization;

namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// Lists the images of an ImageNet-style folder with their ImageNet-1k class index (sorted WordNet-id order), in
/// any of the layouts users have on disk:
/// <list type="bullet">
/// <item>synset folders, <c>DIR/n01440764/ILSVRC2012_val_00000293.JPEG</c> (validation set after the usual
/// <c>valprep.sh</c>; ImageNet-Sketch, -R, -A);</item>
/// <item>class-index folders <c>DIR/0 … DIR/999</c> (ImageNet-V2's <c>imagenetv2-*-format-val</c>);</item>
/// <item>flat files <c>DIR/ILSVRC2012_val_00000001.JPEG</c> with a label list in DIR or its parent:
/// Kaggle's <c>LOC_val_solution.csv</c> (<c>ImageId,PredictionString</c>, the first WordNet id is the label),
/// <c>imagenet_2012_validation_synset_labels.txt</c> (one WordNet id per line, line i for
/// <c>ILSVRC2012_val_{i:08}</c>), or <c>val.txt</c> (<c>FILE INDEX</c> per line, the sorted-order index).</item>
/// </list>
/// </summary>
public static class ImageNetLayout
{
    /// <summary>Label files looked for next to flat validation images, in this order.</summary>
    public static IReadOnlyList<string> LabelFiles { get; } = ["LOC_val_solution.csv", "imagenet_2012_validation_synset_labels.txt", "val.txt"];

    /// <summary>One image and its ImageNet-1k class index.</summary>
    public sealed record Image(string File, int ClassIndex);

    /// <summary>Every image under <paramref name="folder"/>, sorted by path, with its class; <paramref name="layout"/> says which layout was found.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">No known layout, an unknown WordNet id, or a listed image is missing.</exception>
    public static List<Image> List(string folder, out string layout)
    {
        string root = Path.GetFullPath(folder);
        if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"ImageNet folder not found: {root}");
        var subfolders = Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        var images = new List<Image>();
        if (subfolders.Length > 0 && subfolders.All(n => ImageNetClasses.IsWnid(n!)))
        {
            layout = "synset folders";
            foreach (var wnid in subfolders)
            {
                int index = ImageNetClasses.IndexOf(wnid!);
                if (index < 0) throw new InvalidDataException($"{Path.Combine(root, wnid!)}: {wnid} is not one of the 1000 ImageNet-1k WordNet ids (assets/imagenet/classes.tsv)");
                images.AddRange(ImageFiles(Path.Combine(root, wnid!)).Select(f => new Image(f, index)));
            }
        }
        else if (subfolders.Length > 0 && subfolders.All(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out int i) && i < 1000))
        {
            layout = "class-index folders (ImageNet-V2)";
            foreach (var name in subfolders.OrderBy(n => int.Parse(n!, CultureInfo.InvariantCulture)))
                images.AddRange(ImageFiles(Path.Combine(root, name!)).Select(f => new Image(f, int.Parse(name!, CultureInfo.InvariantCulture))));
        }
        else
        {
            string? labels = new[] { root, Path.GetDirectoryName(root) }.Where(d => d is not null)
                .SelectMany(d => LabelFiles.Select(f => Path.Combine(d!, f))).FirstOrDefault(File.Exists);
            if (labels is null)
                throw new InvalidDataException($"{root}: expected synset folders (n01440764/…), class-index folders (0/ … 999/), or flat images with one of {string.Join(", ", LabelFiles)} in the folder or its parent");
            layout = $"flat images with {Path.GetFileName(labels)}";
            images.AddRange(FlatImages(root, labels));
        }
        if (images.Count == 0) throw new InvalidDataException($"{root} ({layout}) holds no images (extensions {string.Join(", ", UserBenchmark.ImageExtensions)})");
        return images;
    }

    /// <summary>Image files of a folder (the extensions of <see cref="UserBenchmark.ImageExtensions"/>, any case), sorted.</summary>
    public static IEnumerable<string> ImageFiles(string folder) =>
        Directory.GetFiles(folder).Where(f => UserBenchmark.ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal);

    private static IEnumerable<Image> FlatImages(string root, string labelFile)
    {
        // Validation images are named by id; find each listed id's file whatever its extension case.
        var byStem = ImageFiles(root).ToDictionary(f => Path.GetFileNameWithoutExtension(f), StringComparer.Ordinal);
        var labeled = new List<(string Stem, int Index, string Origin)>();
        var lines = File.ReadAllLines(labelFile);
        string name = Path.GetFileName(labelFile);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim(), origin = $"{labelFile}:{i + 1}";
            if (line.Length == 0) continue;
            if (name == LabelFiles[0])
            {
                if (i == 0 && line.StartsWith("ImageId", StringComparison.Ordinal)) continue;
                var parts = line.Split(',', 2);
                string wnid = parts.Length == 2 ? parts[1].Trim().Split(' ')[0] : "";
                labeled.Add((parts[0].Trim(), WnidIndex(wnid, origin), origin));
            }
            else if (name == LabelFiles[1])
            {
                labeled.Add(($"ILSVRC2012_val_{i + 1:D8}", WnidIndex(line, origin), origin));
            }
            else
            {
                var parts = line.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int index) || index >= 1000)
                    throw new InvalidDataException($"{origin}: expected 'FILE INDEX' with an index 0..999, got '{line}'");
                labeled.Add((Path.GetFileNameWithoutExtension(parts[0]), index, origin));
            }
        }
        foreach (var (stem, index, origin) in labeled.OrderBy(l => l.Stem, StringComparer.Ordinal))
        {
            if (!byStem.TryGetValue(stem, out string? file)) throw new InvalidDataException($"{origin}: image {stem} is listed but not in {root}");
            yield return new Image(file, index);
        }
    }

    private static int WnidIndex(string wnid, string origin)
    {
        int index = ImageNetClasses.IndexOf(wnid);
        return index >= 0 ? index : throw new InvalidDataException($"{origin}: '{wnid}' is not an ImageNet-1k WordNet id");
    }
}
