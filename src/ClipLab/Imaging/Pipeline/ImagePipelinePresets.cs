using System.Globalization;

namespace ClipLab.Imaging.Pipeline;

/// <summary>
/// Named pipelines for a model input size S (all end with value_range(-1, 1), the paper's range):
/// <list type="bullet">
/// <item><c>eval</c>: resize_center_crop(S, 0.875) — the paper's zero-shot evaluation protocol.</item>
/// <item><c>train</c>, <c>none</c>: resize(S) | center_crop(S) — the paper's plain CLIP training, no augmentation.</item>
/// <item><c>crop-flip</c>: random_resized_crop(S, 0.5, 1) | flip — SLIP's CLIP view uses scale (0.5, 1); the
/// torchvision default 0.08 is too destructive for a caption that describes the whole image.</item>
/// <item><c>randaug</c>: crop-flip | randaug(2, 9).</item>
/// <item><c>stacked-randaug</c>: random_resized_crop(S, 0.2, 1) | flip | stacked_randaug(2, 10, 1, 0.5) — InfoMin's crop scale.</item>
/// <item><c>simclr</c>: random_resized_crop(S, 0.08, 1) | color_jitter(0.4, 0.4, 0.4, 0.1, 0.8) | grayscale(0.2) |
/// gaussian_blur(0.5, 0.1, 2) | flip — SLIP's SimCLR view.</item>
/// </list>
/// </summary>
public static class ImagePipelinePresets
{
    private static readonly Dictionary<string, Func<string, string>> Specs = new(StringComparer.Ordinal)
    {
        ["eval"] = s => $"resize_center_crop({s}, 0.875) | value_range(-1, 1)",
        ["train"] = s => $"resize({s}) | center_crop({s}) | value_range(-1, 1)",
        ["none"] = s => $"resize({s}) | center_crop({s}) | value_range(-1, 1)",
        ["crop-flip"] = s => $"random_resized_crop({s}, 0.5, 1) | flip | value_range(-1, 1)",
        ["randaug"] = s => $"random_resized_crop({s}, 0.5, 1) | flip | randaug(2, 9) | value_range(-1, 1)",
        ["stacked-randaug"] = s => $"random_resized_crop({s}, 0.2, 1) | flip | stacked_randaug(2, 10, 1, 0.5) | value_range(-1, 1)",
        ["simclr"] = s => $"random_resized_crop({s}, 0.08, 1) | color_jitter(0.4, 0.4, 0.4, 0.1, 0.8) | grayscale(0.2) | gaussian_blur(0.5, 0.1, 2) | flip | value_range(-1, 1)",
    };

    /// <summary>Preset names.</summary>
    public static IReadOnlyList<string> Names { get; } = Specs.Keys.ToArray();

    /// <summary>The spec text of preset <paramref name="name"/> for output size <paramref name="size"/>.</summary>
    /// <exception cref="ArgumentException">Unknown preset; the message lists the valid ones.</exception>
    public static string GetSpec(string name, int size)
    {
        if (!Specs.TryGetValue(name, out var spec))
            throw new ArgumentException($"unknown image pipeline preset '{name}'. Valid presets: {string.Join(", ", Names)}");
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "size must be positive");
        return spec(size.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The preset pipeline <paramref name="name"/> for output size <paramref name="size"/>.</summary>
    /// <exception cref="ArgumentException">Unknown preset; the message lists the valid ones.</exception>
    public static ImagePipeline Get(string name, int size) => ImagePipeline.Parse(GetSpec(name, size));
}
