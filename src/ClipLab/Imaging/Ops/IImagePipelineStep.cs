using ClipLab.Imaging.Pipeline;

namespace ClipLab.Imaging.Ops;

/// <summary>One step of an <see cref="ImagePipeline"/>: an <see cref="IImageOp"/> or the final <see cref="IPixelConverter"/>.</summary>
public interface IImagePipelineStep;
