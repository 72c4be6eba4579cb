using System.Text.Json.Serialization;
using ClipLab.Models;

namespace ClipLab.Configuration;

/// <summary>
/// The paper's training strategy of a run (<c>training.strategy</c>), chosen by <c>"type"</c> and carrying its own
/// settings: <c>{"type": "clip"}</c>, <c>{"type": "slip", "mlpDim": 512}</c>, <c>{"type": "flip", "maskRatio": 0.5}</c>,
/// <c>{"type": "clip-aug", "augmentation": "randaug"}</c>. The attributes below are the one list of strategy names.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ClipStrategyConfig), "clip")]
[JsonDerivedType(typeof(SlipStrategyConfig), "slip")]
[JsonDerivedType(typeof(FlipStrategyConfig), "flip")]
[JsonDerivedType(typeof(ClipAugStrategyConfig), "clip-aug")]
public abstract record StrategyConfig
{
    /// <summary>The strategy names: <c>clip</c>, <c>slip</c>, <c>flip</c>, <c>clip-aug</c>.</summary>
    public static IReadOnlyList<string> Names { get; } = ConfigTypeNames.Of<StrategyConfig>();

    /// <summary>This strategy's name (its <c>"type"</c>).</summary>
    [JsonIgnore]
    public string Name => ConfigTypeNames.NameOf<StrategyConfig>(GetType());

    /// <summary>The strategy named <paramref name="name"/> with its default settings (as <c>--strategy NAME</c> asks).</summary>
    /// <exception cref="ConfigException">Unknown name; the message lists the valid ones.</exception>
    public static StrategyConfig Named(string name) => ConfigTypeNames.Create<StrategyConfig>(name, "training.strategy");

    /// <summary>
    /// The image pipeline of the image–text view: <paramref name="dataAugmentation"/> (<c>data.augmentation</c>, which is
    /// <c>none</c> unless the user asks) for every strategy but <c>clip-aug</c>, which brings its own.
    /// </summary>
    public virtual string ImageTextAugmentation(string dataAugmentation) => dataAugmentation;

    /// <summary>Checks the settings; <paramref name="key"/> is the strategy's path in the config.</summary>
    /// <exception cref="ConfigException">A setting is invalid.</exception>
    public virtual void Validate(string key)
    {
    }

    /// <summary>Checks that the strategy can train <paramref name="model"/> (named <paramref name="modelName"/> in messages) with <paramref name="data"/>.</summary>
    /// <exception cref="ConfigException">The strategy does not fit the model or the data.</exception>
    public virtual void ValidateFor(ClipModelConfig model, string modelName, DataConfig data)
    {
    }
}

/// <summary>Plain CLIP (Radford et al. 2021): one image view and its caption, the image–text loss alone, no augmentation unless <c>data.augmentation</c> asks.</summary>
public sealed record ClipStrategyConfig : StrategyConfig;

/// <summary>
/// CLIP + Data Aug (paper §7): CLIP whose image view goes through <see cref="Augmentation"/>; everything else, the cost
/// included, is CLIP's, so CLIP against CLIP+Aug differs only in augmentation.
/// </summary>
public sealed record ClipAugStrategyConfig : StrategyConfig
{
    /// <summary>Image pipelines that do not augment (the plain resize and the evaluation crop).</summary>
    public static IReadOnlyList<string> NonAugmenting { get; } = ["none", "train", "eval"];

    /// <summary>Image pipeline of the image view: a preset (<c>crop-flip</c>, <c>randaug</c>, <c>stacked-randaug</c>) or a spec.</summary>
    public string Augmentation { get; init; } = "crop-flip";

    /// <inheritdoc />
    public override string ImageTextAugmentation(string dataAugmentation) => Augmentation;

    /// <inheritdoc />
    public override void Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Augmentation) || NonAugmenting.Contains(Augmentation))
            throw new ConfigException($"{key}.augmentation", Augmentation,
                "an augmenting pipeline: a preset (crop-flip, randaug, stacked-randaug) or a spec such as random_resized_crop(S, 0.5, 1)|flip");
    }

    /// <inheritdoc />
    public override void ValidateFor(ClipModelConfig model, string modelName, DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(data);
        // One place says how clip-aug augments; a second one would make "CLIP vs CLIP+Aug" compare two augmentations.
        if (data.Augmentation != "none")
            throw new ConfigException($"data.augmentation is \"{data.Augmentation}\" but strategy \"clip-aug\" augments with training.strategy.augmentation " +
                $"(\"{Augmentation}\"); set the pipeline there and leave data.augmentation at \"none\".");
    }
}
