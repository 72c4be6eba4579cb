namespace ClipLab.Models.Compute;

/// <summary>
/// Training compute per sample, the unit of the paper's equal-compute comparisons. A training step costs about three
/// forward passes (forward, plus a backward pass that costs two: gradients with respect to activations and to weights).
/// </summary>
public static class TrainingCompute
{
    /// <summary>Backward-to-forward cost multiplier plus the forward itself.</summary>
    public const double ForwardPassesPerTrainingStep = 3.0;

    /// <summary>
    /// Training FLOPs for one image–text pair: 3 × 2 × (image forward MACs × <paramref name="imagePasses"/> + text forward MACs).
    /// </summary>
    /// <param name="image">Cost of the image tower as it runs in training (a FLIP run passes the cost with fewer tokens).</param>
    /// <param name="text">Cost of the text tower.</param>
    /// <param name="imagePasses">How many image views pass through the image tower per sample (SLIP adds two).</param>
    public static double FlopsPerSample(TowerCost image, TowerCost text, double imagePasses = 1.0)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(imagePasses, 0.0);
        return ForwardPassesPerTrainingStep * 2.0 * (image.Macs * imagePasses + text.Macs);
    }

    /// <summary>Training FLOPs for one sample of a CLIP model with every image token kept and one image view.</summary>
    public static double FlopsPerSample(ClipModelConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return FlopsPerSample(config.Vision.Cost(config.EmbedDim), config.Text.Cost(config.EmbedDim));
    }
}
