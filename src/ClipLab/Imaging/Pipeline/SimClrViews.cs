namespace ClipLab.Imaging.Pipeline;

/// <summary>
/// Two independently augmented views of one image for SLIP's SimCLR objective, both with the <c>simclr</c>
/// preset. The views draw from the same <see cref="Random"/> one after the other, so they differ from each
/// other but a seed reproduces both.
/// </summary>
public sealed class SimClrViews
{
    /// <summary>Creates the view generator for output size <paramref name="size"/>.</summary>
    public SimClrViews(int size) : this(ImagePipelinePresets.Get("simclr", size)) { }

    /// <summary>Creates the view generator from any pipeline.</summary>
    public SimClrViews(ImagePipeline pipeline) => Pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));

    /// <summary>The pipeline each view goes through.</summary>
    public ImagePipeline Pipeline { get; }

    /// <summary>Two CHW float views [3, S, S].</summary>
    public (float[] First, float[] Second) Create(RgbImage image, Random rng) => (Pipeline.Run(image, rng), Pipeline.Run(image, rng));
}
