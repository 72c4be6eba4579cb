using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;

namespace ClipLab.Training.Strategies;

/// <summary>Plain CLIP (Radford et al. 2021): one image view and its caption, the image–text loss alone.</summary>
public sealed class ClipStrategy : TrainingStrategy
{
    /// <summary>Creates the strategy for <paramref name="model"/>.</summary>
    public ClipStrategy(ClipStrategyConfig config, ImageTextObjective objective, ClipModelConfig model)
        : base(config, objective, new StrategyCost(TrainingCompute.FlopsPerSample(model ?? throw new ArgumentNullException(nameof(model)))))
    {
    }
}
