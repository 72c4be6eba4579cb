namespace ClipLab.Data.Loading;

/// <summary>
/// Decodes and augments one sample's image into <paramref name="destination"/> (CHW floats of the loader's
/// image size). Returns false with a <paramref name="reason"/> when the image cannot be used; all randomness
/// must come from <paramref name="rng"/> so results are reproducible.
/// </summary>
public delegate bool SampleImageTransform(RawSample sample, Random rng, Span<float> destination, out SkipReason reason);
