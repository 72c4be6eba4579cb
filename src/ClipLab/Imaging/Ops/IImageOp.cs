namespace ClipLab.Imaging.Ops;

/// <summary>
/// An image-to-image op. Implementations are immutable and take all randomness from the <see cref="Random"/>
/// arguments, so one instance can serve many threads and a seeded <see cref="Random"/> reproduces its output.
/// </summary>
public interface IImageOp : IImagePipelineStep
{
    /// <summary>Returns the transformed image (the input is not modified; it may be returned as is).</summary>
    RgbImage Apply(RgbImage image, Random rng);

    /// <summary>
    /// The side of the square output this op produces, given the side of a square input (null: the input's
    /// size is unknown or not square). Returning null means the output is not a fixed square.
    /// </summary>
    int? SquareSizeAfter(int? squareSizeBefore);
}
