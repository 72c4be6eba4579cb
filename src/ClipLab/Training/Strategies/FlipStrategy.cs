using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training.Strategies;

/// <summary>
/// FLIP (Li et al. 2023): each image keeps a random ⌊(1 − maskRatio) × N⌋ of its N patch tokens (positional embeddings
/// added before dropping, class token kept), so the image tower runs on fewer tokens; the final
/// <c>unmaskedTuningSamples</c> train on all tokens. Towers that can mask tokens only (<see cref="VisionTowerConfig.TokenMasking"/>: the ViT).
/// </summary>
public sealed class FlipStrategy : TrainingStrategy
{
    private readonly int _numPatches;

    /// <summary>Creates the strategy for <paramref name="model"/>, whose image tower must be able to mask tokens.</summary>
    /// <exception cref="ConfigException">The tower cannot mask tokens, or the ratio keeps no token.</exception>
    public FlipStrategy(ImageTextObjective objective, ClipModelConfig model, FlipStrategyConfig flip)
        : base(flip, objective, Costs(model, flip))
    {
        // Costs has checked the capability.
        _numPatches = model.Vision.TokenMasking()!.NumPatches;
        KeptPatches = flip.KeptPatches(_numPatches);
    }

    /// <summary>Patch tokens each image keeps while masking.</summary>
    public int KeptPatches { get; }

    /// <inheritdoc/>
    public override StepInputs Prepare(TrainingBatch batch, bool finalPhase)
    {
        var inputs = base.Prepare(batch, finalPhase);
        if (finalPhase || KeptPatches == _numPatches) return inputs;
        // A uniformly random subset per image: the first K of a random permutation (ranks of uniform noise), from
        // libtorch's generator, whose state the checkpoints keep.
        using var noise = torch.rand(batch.Count, _numPatches, device: batch.Images.device);
        using var order = noise.argsort(dim: 1);
        using var first = order.narrow(1, 0, KeptPatches);
        return inputs with { KeepPatches = first.contiguous() };
    }

    private static StrategyCost Costs(ClipModelConfig model, FlipStrategyConfig flip)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(flip);
        if (model.Vision.TokenMasking() is not { } masking)
            throw new ConfigException($"training.strategy \"flip\" needs an image tower that can mask patch tokens (a ViT); this model's tower is a {model.Vision.GetType().Name}.");
        int kept = flip.KeptPatches(masking.NumPatches);
        if (kept < 1) throw new ConfigException("training.strategy.maskRatio", flip.MaskRatio, $"a ratio that keeps at least one of the {masking.NumPatches} patch tokens");
        var text = model.Text.Cost(model.EmbedDim);
        double masked = TrainingCompute.FlopsPerSample(masking.Cost(model.EmbedDim, kept), text);
        double full = TrainingCompute.FlopsPerSample(model.Vision.Cost(model.EmbedDim), text);
        return new StrategyCost(masked, full, flip.UnmaskedTuningSamples);
    }
}
