using System.Text.Json.Serialization;
using ClipLab.Losses;

namespace ClipLab.Configuration;

/// <summary>
/// The image–text loss of a run (<c>training.loss</c>), usable with every strategy and chosen by <c>"type"</c>:
/// <c>{"type": "clip"}</c> or <c>{"type": "siglip"}</c>. The attributes below are the one list of loss names.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ClipLossConfig), "clip")]
[JsonDerivedType(typeof(SigLipLossConfig), "siglip")]
public abstract record LossConfig
{
    /// <summary>The loss names: <c>clip</c>, <c>siglip</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ConfigTypeNames.Of<LossConfig>();

    /// <summary>This loss's name (its <c>"type"</c>); also the name of its term in the metrics.</summary>
    [JsonIgnore]
    public string Name => ConfigTypeNames.NameOf<LossConfig>(GetType());

    /// <summary>The loss named <paramref name="name"/> with its default settings (as <c>--loss NAME</c> asks).</summary>
    /// <exception cref="ConfigException">Unknown name; the message lists the valid ones.</exception>
    public static LossConfig Named(string name) => ConfigTypeNames.Create<LossConfig>(name, "training.loss");
}

/// <summary>CLIP's softmax InfoNCE over the batch, both directions.</summary>
public sealed record ClipLossConfig : LossConfig;

/// <summary>
/// SigLIP's pairwise sigmoid loss (Zhai et al. 2023), with a learnable temperature and bias initialised at t′ = ln 10 and
/// b = −10 unless <c>modelConfig.initLogitBias</c> says otherwise.
/// </summary>
public sealed record SigLipLossConfig : LossConfig
{
    /// <summary>Initial log temperature t′ of the SigLIP paper: exp(t′) = 10 (the loss's own constant).</summary>
    public static readonly double InitLogitScale = SigLipLoss.InitLogitScale;

    /// <summary>Initial logit bias b of the SigLIP paper (the loss's own constant).</summary>
    public const double InitLogitBias = SigLipLoss.InitLogitBias;
}
