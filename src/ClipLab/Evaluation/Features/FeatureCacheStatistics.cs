namespace ClipLab.Evaluation.Features;

/// <summary>What a <see cref="FeatureCache"/> did: images it ran through the model and sets it served from disk or memory.</summary>
/// <param name="ImagesEncoded">Images loaded and embedded by the model.</param>
/// <param name="EncodeSeconds">Wall-clock seconds spent loading (decode, shift, resize) and embedding them.</param>
/// <param name="ImagesFromDisk">Images whose features were read from the disk cache.</param>
/// <param name="ImagesFromMemory">Images whose features were reused in memory by a later task.</param>
public sealed record FeatureCacheStatistics(long ImagesEncoded, double EncodeSeconds, long ImagesFromDisk, long ImagesFromMemory)
{
    /// <summary>Evaluation throughput: images embedded per second, loading included (0 when nothing was embedded).</summary>
    public double ImagesPerSecond => EncodeSeconds > 0 ? ImagesEncoded / EncodeSeconds : 0;
}
