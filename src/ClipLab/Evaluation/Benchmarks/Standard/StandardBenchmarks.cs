using ClipLab.Evaluation.Features;
using ClipLab.Text;

namespace ClipLab.Evaluation.Benchmarks.Standard;

/// <summary>
/// Turns a <see cref="StandardBenchmarkSource"/> into a benchmark the suite runs: ImageNet-1k and its variants,
/// ObjectNet and CIFAR as zero-shot classification (CIFAR also with its training split for the linear probe and
/// few-shot), MSCOCO and Flickr30k as retrieval. Every image is prepared with the paper's zero-shot protocol
/// (shorter side to S / 0.875, central S×S crop) and streamed, so sets of any size fit in memory.
/// </summary>
/// <remarks>
/// Class names are CLIP's (and big_vision's) 1000 ImageNet names (<c>assets/imagenet/classes.tsv</c>); ImageNet-R and
/// -A are scored over their 200 classes only (big_vision's label sets), which is the usual protocol; ObjectNet over
/// its 113 ImageNet-overlapping classes by their ObjectNet names; CIFAR by the names of its meta file. Templates are
/// CLIP's 80 ImageNet templates or big_vision's 8 best (<see cref="ImageNetClasses.TemplateSets"/>).
/// </remarks>
public static class StandardBenchmarks
{
    /// <summary>Builds the benchmark of <paramref name="source"/>; reading and checking the listing happens here, decoding later.</summary>
    /// <param name="source">Format and location.</param>
    /// <param name="imageSize">The model's input size.</param>
    /// <param name="channels">The model's input channels.</param>
    /// <param name="templateSet">Prompt templates: <c>clip</c> (80) or <c>best</c> (8).</param>
    /// <param name="name">Name in reports (default: the format).</param>
    /// <exception cref="InvalidDataException">The files are not in the expected format; the message says what was expected.</exception>
    public static (ClassificationBenchmark? Classification, RetrievalBenchmark? Retrieval) Load(StandardBenchmarkSource source, int imageSize, int channels,
        string templateSet = "clip", string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        source.Validated();
        name ??= source.Format;
        var templates = ImageNetClasses.Templates(templateSet);
        ClassificationBenchmark Classification(string[] classNames, IEnumerable<ImageNetLayout.Image> images, string split = "test") =>
            new(name, new PromptTemplateSet(name, classNames, templates),
                ImageFileSet.Create($"{name}/{split}", $"{source.Format} {split}", images.Select(i => new ImageFileSet.Item(i.File, i.ClassIndex, i.File)).ToArray(), imageSize, channels));

        switch (source.Format)
        {
            case "imagenet" or "imagenet-v2" or "imagenet-sketch":
                return (Classification(ImageNetClasses.Names.ToArray(), ImageNetLayout.List(source.Path, out _)), null);
            case "imagenet-r" or "imagenet-a":
            {
                var subset = ImageNetClasses.Subset(source.Format);
                var position = subset.Select((wnid, i) => (ImageNetClasses.IndexOf(wnid), i)).ToDictionary(p => p.Item1, p => p.i);
                var images = ImageNetLayout.List(source.Path, out _);
                var outside = images.FirstOrDefault(i => !position.ContainsKey(i.ClassIndex));
                if (outside is not null)
                    throw new InvalidDataException($"{outside.File}: class {ImageNetClasses.Wnids[outside.ClassIndex]} is not one of the 200 classes of {source.Format} (assets/imagenet/subsets.json)");
                var names = subset.Select(w => ImageNetClasses.Names[ImageNetClasses.IndexOf(w)]).ToArray();
                return (Classification(names, images.Select(i => i with { ClassIndex = position[i.ClassIndex] })), null);
            }
            case "objectnet":
            {
                var (names, images) = ObjectNetLayout.List(source.Path);
                return (Classification(names, images), null);
            }
            case "cifar10" or "cifar100":
            {
                var (names, test, train) = CifarBinary.Read(source.Path, source.Format == "cifar10" ? 10 : 100);
                var prompts = new PromptTemplateSet(name, names, templates);
                return (new ClassificationBenchmark(name, prompts, RawSet($"{name}/test", $"{source.Format} test", test, imageSize, channels))
                {
                    Train = RawSet($"{name}/train", $"{source.Format} train", train, imageSize, channels),
                }, null);
            }
            default:
                return (null, new RetrievalBenchmark(name, () => Captions(name, source, imageSize, channels)));
        }
    }

    private static LabeledImageSet RawSet(string key, string description, List<(EvaluationImage Image, int Label)> items, int imageSize, int channels)
    {
        var images = items.Select(i => i.Image).ToArray();
        // The images are records of one file: its name, size and time identify them.
        var file = new FileInfo(images[0].Origin[..images[0].Origin.LastIndexOf(" record ", StringComparison.Ordinal)]);
        string recipe = $"{description} v1: {items.Count} images of {file.FullName} ({file.Length} bytes, {file.LastWriteTimeUtc.Ticks}), " +
                        $"resize_center_crop({imageSize}, {EvaluationImages.CropRatio}), {channels} channel(s)";
        return new LabeledImageSet(key, recipe, items.Select(i => i.Label).ToArray(), batch => EvaluationImages.Batches(images, imageSize, channels, batch));
    }

    private static RetrievalPairs Captions(string name, StandardBenchmarkSource source, int imageSize, int channels)
    {
        var entries = CaptionFile.Read(source.Path, source.Images!);
        var captions = new List<string>();
        var captionImage = new List<int>();
        for (int i = 0; i < entries.Count; i++)
            foreach (var caption in entries[i].Captions)
            {
                captions.Add(caption);
                captionImage.Add(i);
            }
        var images = ImageFileSet.Create($"{name}/retrieval", $"{source.Format} retrieval of {Path.GetFileName(source.Path)}",
            entries.Select(e => new ImageFileSet.Item(e.File, 0, e.File)).ToArray(), imageSize, channels);
        return new RetrievalPairs(images, captions, captionImage.ToArray());
    }
}
