using ClipLab.Data.Sources;
using ClipLab.Evaluation.Features;
using ClipLab.Imaging;
using ClipLab.Text;

namespace ClipLab.Evaluation.Benchmarks;

/// <summary>
/// Turns a <see cref="BenchmarkFile"/> into benchmarks: labeled images from a class-folder tree or a CSV/TSV
/// table (zero-shot, and the probes when training images are given) and optional retrieval pairs. Images are
/// read when the features are computed; a cached entry is reused while the files (paths, sizes, modification
/// times) are unchanged.
/// </summary>
public static class UserBenchmark
{
    /// <summary>CLIP's default template, used when the file gives none.</summary>
    public const string DefaultTemplate = "a photo of a {}.";

    /// <summary>File extensions read from class folders.</summary>
    public static readonly IReadOnlySet<string> ImageExtensions = ImageFiles.Extensions;

    /// <summary>Loads the benchmark file at <paramref name="path"/>.</summary>
    /// <exception cref="ConfigException">The file is invalid.</exception>
    /// <exception cref="InvalidDataException">Labels do not match the class names, or the images cannot be listed.</exception>
    /// <param name="path">The benchmark file.</param>
    /// <param name="imageSize">The model's input size.</param>
    /// <param name="channels">The model's input channels.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="templateSet">Templates of a standard-format benchmark (<c>clip</c> or <c>best</c>).</param>
    public static (ClassificationBenchmark? Classification, RetrievalBenchmark? Retrieval) Load(string path, int imageSize, int channels, ClipTokenizer tokenizer,
        string templateSet = "clip")
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var file = BenchmarkFile.Load(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string Resolve(string p) => Path.GetFullPath(p, folder);
        if (file.Format is not null)
            return Standard.StandardBenchmarks.Load(new Standard.StandardBenchmarkSource(file.Format, Resolve(file.Path!), file.Images is null ? null : Resolve(file.Images)),
                imageSize, channels, templateSet, file.Name);

        ClassificationBenchmark? classification = null;
        if (file.Test is not null)
        {
            var prompts = file.Prompts is not null ? PromptTemplateSet.Load(Resolve(file.Prompts)) : null;
            var classNames = prompts?.ClassNames ?? file.Classnames;
            var testItems = List(file.Test, Resolve);
            classNames ??= DefaultClassNames(testItems);
            var templates = prompts?.Templates ?? file.Templates ?? [DefaultTemplate];
            var promptSet = new PromptTemplateSet(file.Name, classNames, templates);
            classification = new ClassificationBenchmark(file.Name, promptSet, ImageSet(file.Name, "test", testItems, promptSet, imageSize, channels));
            if (file.Train is not null)
                classification = classification with { Train = ImageSet(file.Name, "train", List(file.Train, Resolve), promptSet, imageSize, channels) };
        }

        RetrievalBenchmark? retrieval = null;
        if (file.Retrieval is { } pairs)
        {
            string spec = pairs.Source.Contains(".tar", StringComparison.OrdinalIgnoreCase) || pairs.Source.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
                || pairs.Source.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? Resolve(pairs.Source) : pairs.Source;
            retrieval = new RetrievalBenchmark(file.Name, () =>
                PairSourceReader.Read(file.Name, SourceSpec.Open(spec, pairs.ImageColumn, pairs.CaptionColumn), imageSize, channels, pairs.MaxImages));
        }
        return (classification, retrieval);
    }

    /// <summary>One listed image: its file and its label as written (folder name or table value).</summary>
    private sealed record ListedImage(string File, string Label, string Origin);

    private static List<ListedImage> List(LabeledImagesSource source, Func<string, string> resolve)
    {
        var items = new List<ListedImage>();
        if (source.Folder is not null)
        {
            string root = resolve(source.Folder);
            if (!Directory.Exists(root)) throw new DirectoryNotFoundException($"benchmark image folder not found: {root}");
            foreach (string classFolder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            foreach (string file in Directory.GetFiles(classFolder).Where(f => ImageExtensions.Contains(Path.GetExtension(f))).Order(StringComparer.Ordinal))
                items.Add(new ListedImage(file, Path.GetFileName(classFolder), file));
            if (items.Count == 0) throw new InvalidDataException($"{root} has no images in class sub-folders (expected {root}/CLASS/IMAGE.jpg; extensions {string.Join(", ", ImageExtensions)})");
            return items;
        }

        string table = resolve(source.Csv!);
        if (!File.Exists(table)) throw new FileNotFoundException($"benchmark table not found: {table}", table);
        var records = DelimitedTextReader.Parse(File.ReadAllText(table), source.SeparatorChar);
        if (records.Count < 2) throw new InvalidDataException($"{table} lists no images (expected a header with '{source.ImageColumn}' and '{source.LabelColumn}', then one row per image)");
        var header = records[0].Fields.Select(f => f.Trim()).ToList();
        int imageColumn = header.IndexOf(source.ImageColumn), labelColumn = header.IndexOf(source.LabelColumn);
        if (imageColumn < 0 || labelColumn < 0)
            throw new InvalidDataException($"{table} needs columns '{source.ImageColumn}' and '{source.LabelColumn}'; its header has: {string.Join(", ", header.Select(h => $"'{h}'"))}");
        string tableFolder = Path.GetDirectoryName(table)!;
        foreach (var record in records.Skip(1))
        {
            string origin = $"{table}:{record.Line}";
            string image = imageColumn < record.Fields.Count ? record.Fields[imageColumn].Trim() : "";
            string label = labelColumn < record.Fields.Count ? record.Fields[labelColumn].Trim() : "";
            if (image.Length == 0 || label.Length == 0) throw new InvalidDataException($"{origin}: empty image path or label");
            string file = Path.GetFullPath(image, tableFolder);
            if (!File.Exists(file)) throw new FileNotFoundException($"{origin}: image {file} not found", file);
            items.Add(new ListedImage(file, label, $"{origin} ({image})"));
        }
        return items;
    }

    /// <summary>Sorted distinct labels, folder names with '_' read as spaces (the ImageFolder convention).</summary>
    private static string[] DefaultClassNames(List<ListedImage> items) =>
        items.Select(i => i.Label).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(l => l.Replace('_', ' ')).ToArray();

    private static LabeledImageSet ImageSet(string name, string split, List<ListedImage> items, PromptTemplateSet prompts, int imageSize, int channels)
    {
        var classIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < prompts.ClassNames.Count; c++)
        {
            classIndex.TryAdd(prompts.ClassNames[c], c);
            classIndex.TryAdd(prompts.ClassNames[c].Replace(' ', '_'), c);
        }
        var labels = items.Select(item =>
            classIndex.TryGetValue(item.Label, out int c) ? c
            : int.TryParse(item.Label, out int index) && index >= 0 && index < prompts.ClassNames.Count ? index
            : throw new InvalidDataException($"{item.Origin}: label '{item.Label}' is neither a class name ({string.Join(", ", prompts.ClassNames)}) nor a class index 0..{prompts.ClassNames.Count - 1}"))
            .ToArray();

        var files = items.Select((item, i) => new ImageFileSet.Item(item.File, labels[i], item.Origin)).ToArray();
        return ImageFileSet.Create($"user/{name}/{split}", $"user benchmark {name} {split}", files, imageSize, channels);
    }
}
