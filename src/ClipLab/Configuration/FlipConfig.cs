namespace ClipLab.Configuration;

/// <summary>
/// FLIP settings (Li et al. 2023), used with <c>training.strategy: "flip"</c>: each image keeps a random
/// (1 − <see cref="MaskRatio"/>) of its patch tokens before the transformer blocks.
/// </summary>
public sealed record FlipConfig
{
    /// <summary>Fraction of patch tokens dropped per image (FLIP and the paper: 0.5).</summary>
    public double MaskRatio { get; init; } = 0.5;

    /// <summary>
    /// The final N training samples are trained without masking (FLIP's "unmasked tuning"; the paper does not use it).
    /// Rounded up to whole batches; 0 = none.
    /// </summary>
    public long UnmaskedTuningSamples { get; init; }

    /// <summary>Patch tokens kept out of <paramref name="numPatches"/>: ⌊(1 − ratio) × N⌋ as FLIP computes it.</summary>
    public int KeptPatches(int numPatches) => (int)Math.Floor((1 - MaskRatio) * numPatches + 1e-9);

    internal void Validate()
    {
        if (!(MaskRatio >= 0 && MaskRatio < 1)) throw new ConfigException("training.flip.maskRatio", MaskRatio, "a fraction in [0, 1) (FLIP: 0.5)");
        if (UnmaskedTuningSamples < 0) throw new ConfigException("training.flip.unmaskedTuningSamples", UnmaskedTuningSamples, "0 (none) or a positive number of samples");
    }
}
