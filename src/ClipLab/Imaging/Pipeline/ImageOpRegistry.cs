using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Pipeline;

/// <summary>
/// Maps op names to their signatures and factories, and validates calls against them: unknown names list every
/// valid op, bad arguments name the op, its signature and the valid ranges.
/// </summary>
public sealed class ImageOpRegistry
{
    private const double MaxSize = 8192;
    private readonly Dictionary<string, ImageOpDefinition> _ops;

    /// <summary>Creates a registry of <paramref name="definitions"/> (names must be unique).</summary>
    public ImageOpRegistry(IEnumerable<ImageOpDefinition> definitions)
    {
        _ops = new Dictionary<string, ImageOpDefinition>(StringComparer.Ordinal);
        foreach (var d in definitions)
            if (!_ops.TryAdd(d.Name, d)) throw new ArgumentException($"op '{d.Name}' is defined twice");
    }

    /// <summary>The built-in ops.</summary>
    public static ImageOpRegistry Default { get; } = new(BuiltIn());

    /// <summary>All op names, sorted.</summary>
    public IReadOnlyList<string> Names => _ops.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>All definitions, sorted by name.</summary>
    public IReadOnlyList<ImageOpDefinition> Definitions => Names.Select(n => _ops[n]).ToArray();

    /// <summary>The definition of <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown op; the message lists the valid ones.</exception>
    public ImageOpDefinition Get(string name) =>
        _ops.TryGetValue(name, out var d)
            ? d
            : throw new ArgumentException($"unknown image op '{name}'. Valid ops: {string.Join(", ", Names)}");

    /// <summary>Validates <paramref name="call"/> and builds its step; also returns the canonical spec text of the call.</summary>
    /// <exception cref="ArgumentException">Unknown op, wrong arity, unknown keyword, or a value out of range.</exception>
    public (IImagePipelineStep Step, string Spec) Create(ImageOpCall call)
    {
        var def = Get(call.Name);
        var ps = def.Parameters;
        string Fail(string problem) => $"image op '{def.Name}': {problem}. Expected {def.Signature}";
        if (call.Positional.Count > ps.Count)
            throw new ArgumentException(Fail($"takes at most {ps.Count} argument(s), got {call.Positional.Count}"));
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < call.Positional.Count; i++) values[ps[i].Name] = call.Positional[i];
        foreach (var (key, value) in call.Named)
        {
            if (ps.All(p => p.Name != key)) throw new ArgumentException(Fail($"has no argument '{key}'"));
            if (!values.TryAdd(key, value)) throw new ArgumentException(Fail($"argument '{key}' is given twice"));
        }
        foreach (var p in ps)
        {
            if (!values.TryGetValue(p.Name, out double v))
            {
                if (p.Default is double d) values[p.Name] = d;
                else if (p.Required) throw new ArgumentException(Fail($"missing argument '{p.Name}'"));
                continue;
            }
            if (double.IsNaN(v) || v < p.Min || v > p.Max)
                throw new ArgumentException(Fail($"{p.Name} = {ImageOpParameter.Format(v)} is outside [{ImageOpParameter.Format(p.Min)}, {ImageOpParameter.Format(p.Max)}]"));
            if (p.IsInteger && v != Math.Floor(v))
                throw new ArgumentException(Fail($"{p.Name} must be an integer, got {ImageOpParameter.Format(v)}"));
        }
        IImagePipelineStep step;
        try
        {
            step = def.Create(new ImageOpArguments(values));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(Fail(e.Message), e);
        }
        string spec = $"{def.Name}({string.Join(", ", ps.Where(p => values.ContainsKey(p.Name)).Select(p => ImageOpParameter.Format(values[p.Name])))})";
        return (step, spec);
    }

    private static ImageOpParameter Size(string name = "size") => new(name, 1, MaxSize, IsInteger: true);
    private static ImageOpParameter Probability(double @default) => new("p", 0, 1, Default: @default);

    private static IEnumerable<ImageOpDefinition> BuiltIn() =>
    [
        new("resize", "resize(S): shorter side to S keeping aspect; resize(H, W): exact size (antialiased)",
            [Size(), new("width", 1, MaxSize, IsInteger: true, Optional: true)],
            a => a.Has("width") ? new ResizeExactOp(a.Int("size"), a.Int("width")) : new ResizeShorterSideOp(a.Int("size"))),
        new("center_crop", "central S×S crop", [Size()], a => new CenterCropOp(a.Int("size"))),
        new("resize_center_crop", "evaluation transform: shorter side to S/ratio, then central S×S crop",
            [Size(), new("ratio", 0.01, 1, Default: 0.875)], a => new ResizeCenterCropOp(a.Int("size"), a["ratio"])),
        new("random_crop", "S×S crop at a random position", [Size()], a => new RandomCropOp(a.Int("size"))),
        new("random_resized_crop", "torchvision RandomResizedCrop to S×S",
            [Size(), new("scale_min", 0.0001, 1, Default: 0.08), new("scale_max", 0.0001, 1, Default: 1),
             new("ratio_min", 0.01, 100, Default: 3.0 / 4), new("ratio_max", 0.01, 100, Default: 4.0 / 3)],
            a => new RandomResizedCropOp(a.Int("size"), a["scale_min"], a["scale_max"], a["ratio_min"], a["ratio_max"])),
        new("flip", "horizontal flip with probability p", [Probability(0.5)], a => new HorizontalFlipOp(a["p"])),
        new("color_jitter", "torchvision ColorJitter (random order) applied with probability p",
            [new("brightness", 0, 10), new("contrast", 0, 10), new("saturation", 0, 10), new("hue", 0, 0.5), Probability(1)],
            a => new ColorJitterOp(a["brightness"], a["contrast"], a["saturation"], a["hue"], a["p"])),
        new("grayscale", "grayscale with probability p", [Probability(0.1)], a => new GrayscaleOp(a["p"])),
        new("gaussian_blur", "SimCLR blur: probability p, sigma uniform in [sigma_min, sigma_max], kernel 10% of the side",
            [Probability(0.5), new("sigma_min", 0.01, 100, Default: 0.1), new("sigma_max", 0.01, 100, Default: 2.0)],
            a => new GaussianBlurOp(a["p"], a["sigma_min"], a["sigma_max"])),
        new("randaug", "RandAugment (Cubuk et al. 2019): N of the paper's 14 transforms at magnitude M on its 0-10 scale, optional magnitude noise mstd",
            [new("n", 0, 10, IsInteger: true, Default: 2), new("m", 0, RandAugmentOp.MaxMagnitude, Default: 9), new("mstd", 0, 10, Default: 0)],
            a => new RandAugmentOp(a.Int("n"), a["m"], a["mstd"])),
        new("stacked_randaug", "Stacked RandAugment (SupCon/InfoMin, PyContrast): colour jitter of strength s (p 0.8), blur (p 0.5), InfoMin's RandAugment(n, m on 0-10, mstd; each transform p 0.5), grayscale (p 0.2)",
            [new("n", 0, 10, IsInteger: true, Default: 2), new("m", 0, RandAugmentOp.MaxMagnitude, Default: 10), new("s", 0, 2.5, Default: 1),
             new("mstd", 0, 10, Default: 0.5)],
            a => new StackedRandAugmentOp(a.Int("n"), a["m"], a["s"], a["mstd"])),
        new("value_range", "to floats: pixel 0 → lo, 255 → hi", [new("lo", -1e6, 1e6, Default: -1), new("hi", -1e6, 1e6, Default: 1)],
            a => new ValueRangeConverter(a["lo"], a["hi"])),
        new("normalize", "to floats: (pixel/255 − mean) / std per channel",
            [new("mean_r", -10, 10), new("mean_g", -10, 10), new("mean_b", -10, 10), new("std_r", 1e-6, 100), new("std_g", 1e-6, 100), new("std_b", 1e-6, 100)],
            a => new NormalizeConverter([a["mean_r"], a["mean_g"], a["mean_b"]], [a["std_r"], a["std_g"], a["std_b"]])),
    ];
}
