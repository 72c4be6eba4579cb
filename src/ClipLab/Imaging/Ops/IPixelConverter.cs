namespace ClipLab.Imaging.Ops;

/// <summary>The terminal pipeline step: maps 8-bit RGB pixels to floats in channel-first (CHW) order.</summary>
public interface IPixelConverter : IImagePipelineStep
{
    /// <summary>Writes 3 × Height × Width floats to <paramref name="chw"/>.</summary>
    void Convert(RgbImage image, Span<float> chw);
}
