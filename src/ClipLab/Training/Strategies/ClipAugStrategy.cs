using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;

namespace ClipLab.Training.Strategies;

/// <summary>
/// CLIP + Data Aug (paper §7): CLIP whose image view is augmented by the strategy's <c>augmentation</c> (crop-flip,
/// randaug, stacked-randaug or a spec); the caption is untouched. The augmentation happens in the data, so the step is
/// CLIP's and so is the cost ("no extra computation"): CLIP and CLIP+Aug differ only in augmentation.
/// </summary>
public sealed class ClipAugStrategy : TrainingStrategy
{
    /// <summary>Creates the strategy for <paramref name="model"/>.</summary>
    public ClipAugStrategy(ClipAugStrategyConfig config, ImageTextObjective objective, ClipModelConfig model)
        : base(config, objective, new StrategyCost(TrainingCompute.FlopsPerSample(model ?? throw new ArgumentNullException(nameof(model)))))
    {
    }
}
