using ClipLab.Imaging;
using ClipLab.Imaging.Pipeline;

namespace ClipLab.Data.Loading;

/// <summary>Turns an <see cref="ImagePipeline"/> into the loader's per-sample transform: decode, augment, convert.</summary>
public static class ImagePipelineTransform
{
    /// <summary>
    /// The pipeline named by <paramref name="augmentation"/>: a preset (see <see cref="ImagePipelinePresets"/>)
    /// or a spec string; it must produce <paramref name="imageSize"/>-pixel squares.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown preset or op, or a pipeline of another output size.</exception>
    public static ImagePipeline Resolve(string augmentation, int imageSize)
    {
        var pipeline = ImagePipelinePresets.Names.Contains(augmentation)
            ? ImagePipelinePresets.Get(augmentation, imageSize)
            : augmentation.Contains('(') || augmentation.Contains('|')
                ? ImagePipeline.Parse(augmentation)
                : throw new ArgumentException($"unknown augmentation '{augmentation}'. Presets: {string.Join(", ", ImagePipelinePresets.Names)}; or give a spec such as resize({imageSize})|center_crop({imageSize})|value_range(-1,1).");
        if (pipeline.OutputSize != imageSize)
            throw new ArgumentException($"the augmentation pipeline '{pipeline.Spec}' produces {pipeline.OutputSize}-pixel images but the model takes {imageSize}.");
        return pipeline;
    }

    /// <summary>
    /// Decodes each sample (JPEGs at a reduced scale when they are much larger than twice the output, which
    /// keeps random crops sharp while skipping most of the decode work), runs the pipeline into the batch
    /// slot, and reports undecodable images with their reason.
    /// </summary>
    public static SampleImageTransform Create(ImagePipeline pipeline) => Create(pipeline, []);

    /// <summary>
    /// As <see cref="Create(ImagePipeline)"/>, then each of <paramref name="extraViews"/> on the same decoded image into
    /// the following slots (views one after the other), all drawing from the sample's one random stream. Used for
    /// SLIP's two SimCLR views: the image is decoded once.
    /// </summary>
    public static SampleImageTransform Create(ImagePipeline pipeline, IReadOnlyList<ImagePipeline> extraViews)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentNullException.ThrowIfNull(extraViews);
        foreach (var view in extraViews)
            if (view.OutputSize != pipeline.OutputSize)
                throw new ArgumentException($"extra view pipeline '{view.Spec}' produces {view.OutputSize}-pixel images, the main one {pipeline.OutputSize}.");
        int minDecodeSide = 2 * pipeline.OutputSize;
        int viewFloats = pipeline.OutputLength;
        return (RawSample sample, Random rng, Span<float> destination, out SkipReason reason) =>
        {
            RgbImage image;
            try
            {
                image = ImageDecoder.Decode(sample.Image, minDecodeSide);
            }
            catch (ImageDecodeException ex)
            {
                reason = ex.Reason;
                return false;
            }
            pipeline.Run(image, rng, destination[..viewFloats]);
            for (int v = 0; v < extraViews.Count; v++)
                extraViews[v].Run(image, rng, destination.Slice((v + 1) * viewFloats, viewFloats));
            reason = default;
            return true;
        };
    }
}
