using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Pipeline;

/// <summary>
/// A composed image transform (big_vision style): a chain of <see cref="IImageOp"/>s that must end at a fixed
/// square size S, followed by exactly one float conversion (<c>value_range</c> or <c>normalize</c>). When the
/// spec has no conversion, <c>value_range(-1, 1)</c> — the paper's input range — is appended. <see cref="Run(RgbImage, Random)"/>
/// returns CHW floats [3, S, S] so outputs of any image stack into a batch. Immutable and thread-safe; all
/// randomness comes from the <see cref="Random"/> passed in, so a seed reproduces the output exactly.
/// </summary>
public sealed class ImagePipeline
{
    /// <summary>The conversion appended when a spec ends without one.</summary>
    public const string DefaultConversion = "value_range(-1, 1)";

    private readonly IImageOp[] _ops;

    private ImagePipeline(IImageOp[] ops, IPixelConverter converter, int outputSize, string spec)
    {
        _ops = ops;
        Converter = converter;
        OutputSize = outputSize;
        Spec = spec;
    }

    /// <summary>Side S of the square output.</summary>
    public int OutputSize { get; }

    /// <summary>Number of floats <see cref="Run(RgbImage, Random)"/> returns: 3 × S × S.</summary>
    public int OutputLength => 3 * OutputSize * OutputSize;

    /// <summary>Canonical spec: every op with all its arguments, defaults filled in, conversion included.</summary>
    public string Spec { get; }

    /// <summary>The image ops, in order.</summary>
    public IReadOnlyList<IImageOp> Ops => _ops;

    /// <summary>The final float conversion.</summary>
    public IPixelConverter Converter { get; }

    /// <summary>Parses <c>op(args) | op | ...</c>.</summary>
    /// <exception cref="ArgumentException">Unknown op (lists valid ones), bad arguments (names op, signature and ranges), or no fixed square output size.</exception>
    public static ImagePipeline Parse(string spec, ImageOpRegistry? registry = null) =>
        Build(ImagePipelineSpecParser.ParseString(spec), registry);

    /// <summary>Parses the JSON form <c>[{"op": "resize", "args": [72]}, ...]</c>.</summary>
    /// <exception cref="ArgumentException">As <see cref="Parse"/>, plus malformed JSON.</exception>
    public static ImagePipeline FromJson(string json, ImageOpRegistry? registry = null) =>
        Build(ImagePipelineSpecParser.ParseJson(json), registry);

    /// <summary>Builds a pipeline from parsed calls.</summary>
    public static ImagePipeline Build(IReadOnlyList<ImageOpCall> calls, ImageOpRegistry? registry = null)
    {
        registry ??= ImageOpRegistry.Default;
        var ops = new List<IImageOp>();
        var specs = new List<string>();
        IPixelConverter? converter = null;
        int? size = null;
        foreach (var call in calls)
        {
            var (step, spec) = registry.Create(call);
            if (converter is not null)
                throw new ArgumentException($"image pipeline: '{spec}' comes after the float conversion; value_range or normalize must be the last op, and appear once");
            specs.Add(spec);
            switch (step)
            {
                case IPixelConverter c:
                    converter = c;
                    break;
                case IImageOp op:
                    size = op.SquareSizeAfter(size);
                    ops.Add(op);
                    break;
                default:
                    throw new ArgumentException($"image op '{call.Name}' is neither an image op nor a float conversion");
            }
        }
        if (converter is null)
        {
            var (step, spec) = registry.Create(ImagePipelineSpecParser.ParseString(DefaultConversion)[0]);
            converter = (IPixelConverter)step;
            specs.Add(spec);
        }
        string canonical = string.Join(" | ", specs);
        if (size is not int s)
            throw new ArgumentException(
                $"image pipeline '{canonical}' does not end with a fixed square size, so its outputs would not stack into a batch: " +
                "end the image ops with center_crop(S), random_crop(S), random_resized_crop(S), resize_center_crop(S) or resize(S, S)");
        return new ImagePipeline(ops.ToArray(), converter, s, canonical);
    }

    /// <summary>Applies the image ops (not the conversion): the augmented S × S image.</summary>
    public RgbImage Augment(RgbImage image, Random rng)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(rng);
        foreach (var op in _ops) image = op.Apply(image, rng);
        if (image.Width != OutputSize || image.Height != OutputSize)
            throw new InvalidOperationException($"pipeline '{Spec}' produced {image.Width}×{image.Height}, expected {OutputSize}×{OutputSize}");
        return image;
    }

    /// <summary>Transforms <paramref name="image"/> into CHW floats [3, S, S].</summary>
    public float[] Run(RgbImage image, Random rng)
    {
        var result = new float[OutputLength];
        Run(image, rng, result);
        return result;
    }

    /// <summary>Transforms <paramref name="image"/> into <paramref name="destination"/> (3 × S × S floats, e.g. a batch slot).</summary>
    public void Run(RgbImage image, Random rng, Span<float> destination)
    {
        if (destination.Length != OutputLength)
            throw new ArgumentException($"destination holds {destination.Length:N0} floats, the pipeline writes {OutputLength:N0} (3×{OutputSize}×{OutputSize})");
        Converter.Convert(Augment(image, rng), destination);
    }

    /// <inheritdoc />
    public override string ToString() => Spec;
}
