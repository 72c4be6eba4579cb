namespace ClipLab.Models;

/// <summary>Configuration of a dual-encoder CLIP model.</summary>
public sealed record ClipModelConfig
{
    /// <summary>Image tower configuration (polymorphic).</summary>
    public required VisionTowerConfig Vision { get; init; }

    /// <summary>Text tower configuration.</summary>
    public required TextTransformerConfig Text { get; init; }

    /// <summary>Dimension of the shared embedding space.</summary>
    public int EmbedDim { get; init; } = 512;

    /// <summary>Initial value of the learnable log temperature, ln(1/0.07) as in CLIP.</summary>
    public double InitLogitScale { get; init; } = Math.Log(1 / 0.07);

    /// <summary>Upper clamp of the log temperature, ln(100) as in CLIP.</summary>
    public double MaxLogitScale { get; init; } = Math.Log(100);

    /// <summary>
    /// Initial value of the learnable logit bias of the SigLIP loss; null (CLIP's loss) means the model has no bias
    /// parameter, so models and checkpoints of CLIP runs are unchanged.
    /// </summary>
    public double? InitLogitBias { get; init; }

    /// <summary>SLIP's SimCLR projection head on the image features; null means the model has none.</summary>
    public SimClrHeadConfig? SimClrHead { get; init; }

    /// <summary>Validates this record and both tower configs; throws <see cref="ArgumentException"/> on the first invalid field.</summary>
    public void Validate()
    {
        ValidateOwnFields();
        Vision.Validate();
        Text.Validate();
    }

    /// <summary>
    /// Validates what this record holds besides the tower configs (which <see cref="ClipModel"/> leaves to the towers'
    /// constructors, so that building a model validates each config once).
    /// </summary>
    internal void ValidateOwnFields()
    {
        const string owner = nameof(ClipModelConfig);
        if (Vision is null)
        {
            throw new ArgumentException($"{owner}.{nameof(Vision)} = null; a vision tower config is required.", nameof(Vision));
        }

        if (Text is null)
        {
            throw new ArgumentException($"{owner}.{nameof(Text)} = null; a text tower config is required.", nameof(Text));
        }

        ConfigGuard.InRange(owner, nameof(EmbedDim), EmbedDim, 1);
        ConfigGuard.InRange(owner, nameof(MaxLogitScale), MaxLogitScale, 0.0);
        ConfigGuard.InRange(owner, nameof(InitLogitScale), InitLogitScale, 0.0, MaxLogitScale);
        if (InitLogitBias is double bias) ConfigGuard.InRange(owner, nameof(InitLogitBias), bias, double.MinValue, double.MaxValue);
        SimClrHead?.Validate();
    }
}
