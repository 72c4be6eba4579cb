using ClipLab.Configuration;
using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Models.Compute;

namespace ClipLab.Training.Strategies;

/// <summary>
/// SLIP (Mu et al. 2021): besides the image–text view, two views of each image through the SimCLR augmentations pass
/// the shared image tower and the model's SimCLR head; total loss = image–text loss + sslScale × NT-Xent(views).
/// Cost: three image-tower passes and two head passes per sample.
/// </summary>
public sealed class SlipStrategy : TrainingStrategy
{
    private readonly SlipStrategyConfig _slip;

    /// <summary>Creates the strategy for <paramref name="model"/>, which must have a SimCLR head.</summary>
    /// <exception cref="ArgumentException">The model has no SimCLR head.</exception>
    public SlipStrategy(ImageTextObjective objective, ClipModelConfig model, SlipStrategyConfig slip)
        : base(slip, objective, new StrategyCost(FlopsPerSample(model)))
    {
        _slip = slip;
    }

    /// <summary>Views of each image the SimCLR loss compares.</summary>
    public const int SimClrViews = 2;

    /// <inheritdoc/>
    public override ImageViewRequest ExtraViews => new(_slip.ViewAugmentation, SimClrViews, "training.strategy.viewAugmentation");

    /// <summary>Training FLOPs per sample: the image tower three times, the text tower once, the head twice.</summary>
    public static double FlopsPerSample(ClipModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var head = model.SimClrHead ?? throw new ArgumentException("SLIP needs a model with a SimCLR head (ClipModelConfig.SimClrHead).", nameof(model));
        double towers = TrainingCompute.FlopsPerSample(model.Vision.Cost(model.EmbedDim), model.Text.Cost(model.EmbedDim), imagePasses: 1 + SimClrViews);
        return towers + TrainingCompute.ForwardPassesPerTrainingStep * 2.0 * SimClrViews * head.Macs(model.EmbedDim);
    }

    /// <inheritdoc/>
    public override EncodedBatch Encode(ClipModel model, StepInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.ExtraViews.Count != SimClrViews)
            throw new ArgumentException($"SLIP needs {SimClrViews} extra views per image; the batch has {inputs.ExtraViews.Count}.", nameof(inputs));
        var basic = base.Encode(model, inputs);
        // Each view passes on its own, as in SLIP, so the head's BatchNorm sees one view's statistics at a time.
        return basic with { Views = inputs.ExtraViews.Select(model.EncodeSimClrView).ToArray() };
    }

    /// <inheritdoc/>
    public override StepLoss Loss(ClipModel model, EncodedBatch encoded, bool trainTemperature = true)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var imageText = Objective.Compute(model, encoded.Image, encoded.Text, trainTemperature);
        var simClr = GlobalSimClrLoss.Compute(encoded.Views[0], encoded.Views[1], Objective.Communicator, _slip.Temperature);
        using var weighted = simClr * _slip.SslScale;
        return new StepLoss(imageText + weighted, [(Objective.Name, imageText), ("simclr", simClr)]);
    }
}
