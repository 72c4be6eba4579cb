using ClipLab.Models;

namespace ClipLab.Training.Strategies;

/// <summary>
/// CLIP + Data Aug (paper §7): CLIP whose image view is augmented by <c>data.augmentation</c> (crop-flip, randaug,
/// stacked-randaug or a spec); the caption is untouched. The augmentation happens in the data, so the step is CLIP's
/// and so is the cost ("no extra computation"); the strategy exists so the choice is explicit and validated.
/// </summary>
public sealed class ClipAugStrategy : ClipStrategy
{
    /// <summary>Creates the strategy for <paramref name="model"/>.</summary>
    public ClipAugStrategy(ImageTextObjective objective, ClipModelConfig model) : base(objective, model)
    {
    }

    /// <inheritdoc/>
    public override string Name => "clip-aug";
}
