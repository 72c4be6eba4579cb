using ClipLab.Configuration;
using ClipLab.Imaging.Pipeline;
using ClipLab.Losses;
using ClipLab.Models;
using ClipLab.Models.Compute;
using TorchSharp;

namespace ClipLab.Training.Strategies;

/// <summary>
/// SLIP (Mu et al. 2021): besides the image–text view, two views of each image through the SimCLR augmentations pass
/// the shared image trunk (not the CLIP projection) and the model's SimCLR head, which reads the trunk's features
/// (vision width) as in SLIP's code; total loss = image–text loss + sslScale × NT-Xent(views).
/// Cost, counted honestly: three trunk passes, one projection, the text tower once and two head passes per sample
/// (<see cref="FlopsPerSample"/>); the paper's convention calls that 2× CLIP (<see cref="PaperConventionFlopsPerSample"/>),
/// reported beside it.
/// </summary>
public sealed class SlipStrategy : TrainingStrategy
{
    private readonly SlipStrategyConfig _slip;

    /// <summary>Creates the strategy for <paramref name="model"/>, which must have a SimCLR head.</summary>
    /// <exception cref="ArgumentException">The model has no SimCLR head.</exception>
    public SlipStrategy(ImageTextObjective objective, ClipModelConfig model, SlipStrategyConfig slip)
        : base(slip, objective, new StrategyCost(FlopsPerSample(model)) { PaperConventionFlopsPerSample = PaperConventionFlopsPerSample(model) })
    {
        _slip = slip;
    }

    /// <summary>Views of each image the SimCLR loss compares.</summary>
    public const int SimClrViews = 2;

    /// <inheritdoc/>
    public override ImageViewRequest ExtraViews => new(_slip.ViewAugmentation, SimClrViews, "training.strategy.viewAugmentation");

    /// <summary>
    /// Training FLOPs per sample, every pass counted: 3 × 2 × (image trunk × 3 + image projection × 1 + text tower +
    /// SimCLR head on the trunk width × 2). The SimCLR views stop at the trunk features, so they skip the projection.
    /// </summary>
    public static double FlopsPerSample(ClipModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var head = model.SimClrHead ?? throw new ArgumentException("SLIP needs a model with a SimCLR head (ClipModelConfig.SimClrHead).", nameof(model));
        var image = model.Vision.Cost(model.EmbedDim);
        double simClrViewMacs = image.Macs - model.Vision.ProjectionMacs(model.EmbedDim) + head.Macs(model.Vision.TrunkWidth);
        double clip = TrainingCompute.FlopsPerSample(image, model.Text.Cost(model.EmbedDim));
        return clip + TrainingCompute.ForwardPassesPerTrainingStep * 2.0 * SimClrViews * simClrViewMacs;
    }

    /// <summary>
    /// The paper's convention for SLIP's compute: twice a CLIP step of the same model (the two SimCLR views counted as one
    /// more CLIP-sized pass, the head ignored). Reported beside <see cref="FlopsPerSample"/>, never used for budgets.
    /// </summary>
    public static double PaperConventionFlopsPerSample(ClipModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return PaperConventionMultiple * TrainingCompute.FlopsPerSample(model);
    }

    /// <summary>How many CLIP steps the paper counts one SLIP step as.</summary>
    public const double PaperConventionMultiple = 2.0;

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
        // Scalars held until after each call (see Models.KeptScalars).
        using Scalar sslScale = _slip.SslScale.ToScalar();
        using var weighted = simClr.mul(sslScale);
        return new StepLoss(imageText.add(weighted, KeptScalars.One), [(Objective.Name, imageText), ("simclr", simClr)]);
    }
}
