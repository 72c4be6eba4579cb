using System.Text.Json;

namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// ObjectNet as distributed (<c>objectnet-1.0/images/FOLDER/*.png</c> with <c>objectnet-1.0/mappings/</c>): the
/// 113 ObjectNet classes that overlap ImageNet-1k, i.e. the keys of <c>mappings/objectnet_to_imagenet_1k.json</c>,
/// named by their ObjectNet labels (as CLIP_benchmark does), with the folders found through
/// <c>mappings/folder_to_objectnet_label.json</c>. Images of the other classes are left out.
/// </summary>
public static class ObjectNetLayout
{
    /// <summary>The class names (ObjectNet labels, lower case, in mapping-file order) and every image with its class.</summary>
    /// <param name="folder"><c>objectnet-1.0</c> (holding <c>images/</c> and <c>mappings/</c>), or its <c>images/</c> folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder or its images are missing.</exception>
    /// <exception cref="InvalidDataException">A mapping file is missing or names a folder that is not there.</exception>
    public static (string[] ClassNames, List<ImageNetLayout.Image> Images) List(string folder)
    {
        string root = Path.GetFullPath(folder);
        if (Path.GetFileName(root) == "images" && !Directory.Exists(Path.Combine(root, "images"))) root = Path.GetDirectoryName(root)!;
        string images = Path.Combine(root, "images"), mappings = Path.Combine(root, "mappings");
        if (!Directory.Exists(images)) throw new DirectoryNotFoundException($"ObjectNet images not found: {images} (pass the objectnet-1.0 folder)");
        var folderToLabel = ReadMap(Path.Combine(mappings, "folder_to_objectnet_label.json"));
        var toImageNet = ReadMap(Path.Combine(mappings, "objectnet_to_imagenet_1k.json"));
        var labelToFolder = folderToLabel.GroupBy(kv => kv.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Select(kv => kv.Key).ToArray(), StringComparer.Ordinal);
        var names = new List<string>();
        var list = new List<ImageNetLayout.Image>();
        foreach (var label in toImageNet.Keys)
        {
            if (!labelToFolder.TryGetValue(label, out var folders))
                throw new InvalidDataException($"{Path.Combine(mappings, "folder_to_objectnet_label.json")} has no folder for the ObjectNet label '{label}'");
            int index = names.Count;
            names.Add(label.ToLowerInvariant());
            foreach (var name in folders)
            {
                string path = Path.Combine(images, name);
                if (!Directory.Exists(path)) throw new InvalidDataException($"ObjectNet folder {path} (label '{label}') is missing");
                list.AddRange(ImageNetLayout.ImageFiles(path).Select(f => new ImageNetLayout.Image(f, index)));
            }
        }
        if (list.Count == 0) throw new InvalidDataException($"{images} holds no images of the ImageNet-overlapping ObjectNet classes");
        return (names.ToArray(), list);
    }

    private static Dictionary<string, string> ReadMap(string path)
    {
        if (!File.Exists(path)) throw new InvalidDataException($"ObjectNet mapping file not found: {path} (it ships with ObjectNet in mappings/)");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            // Insertion order is kept: it is the class order.
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in doc.RootElement.EnumerateObject()) map[p.Name] = p.Value.GetString() ?? "";
            return map;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            throw new InvalidDataException($"{path}: not a JSON object of strings ({ex.Message})", ex);
        }
    }
}
