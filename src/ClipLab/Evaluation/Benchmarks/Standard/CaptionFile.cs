using System.Text.Json;

namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// Image–caption annotation files as published, read into (image file, captions) lists:
/// <list type="bullet">
/// <item>MSCOCO captions, <c>annotations/captions_val2017.json</c> (<c>images[].{id, file_name}</c>,
/// <c>annotations[].{image_id, caption}</c>): every image of the file, usually 5,000 with about 25,000 captions;</item>
/// <item>Karpathy's split files <c>dataset_coco.json</c> and <c>dataset_flickr30k.json</c>
/// (<c>images[].{filepath?, filename, split, sentences[].raw}</c>): the images of the <c>test</c> split — COCO's 5k
/// and Flickr30k's 1k test sets of the retrieval literature, 5 captions each.</item>
/// </list>
/// Image paths are resolved under the images folder the user gives: <c>FOLDER/filepath/filename</c> when that
/// exists (Karpathy's COCO entries name <c>val2014</c>), else <c>FOLDER/filename</c>.
/// </summary>
public static class CaptionFile
{
    /// <summary>One image and its captions.</summary>
    public sealed record Entry(string File, IReadOnlyList<string> Captions);

    /// <summary>Reads <paramref name="path"/>; <paramref name="split"/> picks the Karpathy split (default <c>test</c>).</summary>
    /// <exception cref="InvalidDataException">Not one of the two formats, or an image file is missing.</exception>
    public static List<Entry> Read(string path, string imagesFolder, string split = "test")
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"caption file not found: {path}", path);
        string images = Path.GetFullPath(imagesFolder);
        if (!Directory.Exists(images)) throw new DirectoryNotFoundException($"caption images folder not found: {images}");
        using var stream = File.OpenRead(path);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not JSON ({ex.Message})", ex);
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("images", out var list) || list.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path}: expected a COCO captions file (images, annotations) or a Karpathy split file (images with sentences)");
            var entries = root.TryGetProperty("annotations", out var annotations)
                ? Coco(path, list, annotations, images)
                : Karpathy(path, list, images, split);
            if (entries.Count < 2) throw new InvalidDataException($"{path}: fewer than 2 images with captions{(root.TryGetProperty("annotations", out _) ? "" : $" in split '{split}'")}");
            return entries;
        }
    }

    private static List<Entry> Coco(string path, JsonElement images, JsonElement annotations, string folder)
    {
        var files = new Dictionary<long, string>();
        var order = new List<long>();
        foreach (var image in images.EnumerateArray())
        {
            long id = Required(image, "id", path).GetInt64();
            files[id] = Required(image, "file_name", path).GetString()!;
            order.Add(id);
        }
        var captions = order.ToDictionary(id => id, _ => new List<string>());
        foreach (var annotation in annotations.EnumerateArray())
        {
            long id = Required(annotation, "image_id", path).GetInt64();
            if (!captions.TryGetValue(id, out var list)) throw new InvalidDataException($"{path}: a caption names image {id}, which is not in \"images\"");
            list.Add(Required(annotation, "caption", path).GetString()!.Trim());
        }
        return order.Where(id => captions[id].Count > 0).Select(id => new Entry(Resolve(folder, null, files[id], path), captions[id])).ToList();
    }

    private static List<Entry> Karpathy(string path, JsonElement images, string folder, string split)
    {
        var entries = new List<Entry>();
        foreach (var image in images.EnumerateArray())
        {
            if (Required(image, "split", path).GetString() != split) continue;
            string? sub = image.TryGetProperty("filepath", out var fp) ? fp.GetString() : null;
            var sentences = Required(image, "sentences", path).EnumerateArray().Select(s => Required(s, "raw", path).GetString()!.Trim()).ToList();
            if (sentences.Count > 0) entries.Add(new Entry(Resolve(folder, sub, Required(image, "filename", path).GetString()!, path), sentences));
        }
        return entries;
    }

    private static JsonElement Required(JsonElement element, string key, string path) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(key, out var value)
            ? value : throw new InvalidDataException($"{path}: an entry lacks \"{key}\"");

    private static string Resolve(string folder, string? sub, string file, string annotationFile)
    {
        string nested = Path.Combine(folder, sub ?? "", file), flat = Path.Combine(folder, file);
        if (File.Exists(nested)) return nested;
        if (File.Exists(flat)) return flat;
        throw new InvalidDataException($"{annotationFile} names image {file}, not found as {nested}{(sub is null ? "" : $" or {flat}")}; pass the folder that holds the images");
    }
}
