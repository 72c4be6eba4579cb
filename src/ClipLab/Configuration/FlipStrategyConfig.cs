using ClipLab.Models;

namespace ClipLab.Configuration;

/// <summary>
/// FLIP (Li et al. 2023), <c>{"type": "flip", "maskRatio": 0.5}</c>: each image keeps a random
/// (1 − <see cref="MaskRatio"/>) of its patch tokens before the transformer blocks.
/// </summary>
public sealed record FlipStrategyConfig : StrategyConfig
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

    /// <inheritdoc />
    public override void Validate(string key)
    {
        if (!(MaskRatio >= 0 && MaskRatio < 1)) throw new ConfigException($"{key}.maskRatio", MaskRatio, "a fraction in [0, 1) (FLIP: 0.5)");
        if (UnmaskedTuningSamples < 0) throw new ConfigException($"{key}.unmaskedTuningSamples", UnmaskedTuningSamples, "0 (none) or a positive number of samples");
    }

    /// <inheritdoc />
    public override void ValidateFor(ClipModelConfig model, string modelName, DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Vision.TokenMasking() is not { } masking)
            throw new ConfigException($"training.strategy \"flip\" masks patch tokens, so it needs an image tower with a token sequence (\"vit\"); " +
                $"{modelName} has a {model.Vision.GetType().Name.Replace("Config", "", StringComparison.Ordinal)} tower, which has none. " +
                "Use a ViT model, or strategy clip, slip or clip-aug with this one.");
        if (KeptPatches(masking.NumPatches) < 1)
            throw new ConfigException("training.strategy.maskRatio", MaskRatio,
                $"a ratio that keeps at least one of the {masking.NumPatches} patch tokens (below {1 - 1.0 / masking.NumPatches:G4})");
    }
}
