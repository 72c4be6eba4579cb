using System.Text.Json.Serialization;
using ClipLab.Losses;
using ClipLab.Models;

namespace ClipLab.Configuration;

/// <summary>
/// SLIP (Mu et al. 2021), <c>{"type": "slip", ...}</c>: two extra SimCLR views per image go through the shared image
/// tower and a 3-layer MLP head; total loss = image–text loss + <see cref="SslScale"/> × NT-Xent.
/// </summary>
public sealed record SlipStrategyConfig : StrategyConfig
{
    /// <summary>Weight of the SimCLR loss (SLIP's <c>--ssl-scale</c>, 1.0).</summary>
    public double SslScale { get; init; } = 1.0;

    /// <summary>SLIP's NT-Xent temperature (<c>--ssl-temp</c>).</summary>
    public const double DefaultTemperature = SimClrLoss.DefaultTemperature;

    /// <summary>NT-Xent temperature (SLIP's <c>--ssl-temp</c>, <see cref="DefaultTemperature"/>).</summary>
    public double Temperature { get; init; } = DefaultTemperature;

    /// <summary>Hidden width of the head (SLIP's <c>--ssl-mlp-dim</c>, 4096).</summary>
    public int MlpDim { get; init; } = 4096;

    /// <summary>Output width of the head (SLIP's <c>--ssl-emb-dim</c>, 256).</summary>
    public int EmbedDim { get; init; } = 256;

    /// <summary>Image pipeline of the two SimCLR views: a preset or a spec (default: SLIP's SimCLR augmentations).</summary>
    public string ViewAugmentation { get; init; } = "simclr";

    /// <summary>The head these settings describe (derived, so not serialised).</summary>
    [JsonIgnore]
    public SimClrHeadConfig Head => new() { HiddenDim = MlpDim, OutputDim = EmbedDim };

    /// <inheritdoc />
    public override void Validate(string key)
    {
        if (!(SslScale >= 0) || !double.IsFinite(SslScale)) throw new ConfigException($"{key}.sslScale", SslScale, "a non-negative number (SLIP: 1.0)");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ConfigException($"{key}.temperature", Temperature, "a positive number (SLIP: 0.1)");
        if (MlpDim < 1) throw new ConfigException($"{key}.mlpDim", MlpDim, "a positive integer (SLIP: 4096)");
        if (EmbedDim < 1) throw new ConfigException($"{key}.embedDim", EmbedDim, "a positive integer (SLIP: 256)");
        if (string.IsNullOrWhiteSpace(ViewAugmentation)) throw new ConfigException($"{key}.viewAugmentation", ViewAugmentation, "an image pipeline preset or spec (default \"simclr\")");
    }

    /// <inheritdoc />
    public override void ValidateFor(ClipModelConfig model, string modelName, DataConfig data)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.SimClrHead is not null && model.SimClrHead != Head)
            throw new ConfigException($"modelConfig.simClrHead ({model.SimClrHead.HiddenDim}-{model.SimClrHead.OutputDim}) and training.strategy " +
                $"(mlpDim {MlpDim}, embedDim {EmbedDim}) describe different heads; make them agree or remove modelConfig.simClrHead.");
    }
}
