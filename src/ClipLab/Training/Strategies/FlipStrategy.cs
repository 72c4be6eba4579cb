using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Models.Compute;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training.Strategies;

/// <summary>
/// FLIP (Li et al. 2023): each image keeps a random ⌊(1 − maskRatio) × N⌋ of its N patch tokens (positional embeddings
/// added before dropping, class token kept), so the image tower runs on fewer tokens; the final
/// <c>unmaskedTuningSamples</c> train on all tokens. ViT towers only.
/// </summary>
public sealed class FlipStrategy : TrainingStrategy
{
    private readonly int _numPatches;

    /// <summary>Creates the strategy for <paramref name="model"/>, whose image tower must be a ViT.</summary>
    /// <exception cref="ConfigException">The tower is not a ViT, or the ratio keeps no token.</exception>
    public FlipStrategy(ImageTextObjective objective, ClipModelConfig model, FlipConfig flip)
        : base(objective, Costs(model, flip))
    {
        var vit = (VisionTransformerConfig)model.Vision;
        _numPatches = vit.NumPatches;
        KeptPatches = flip.KeptPatches(_numPatches);
    }

    /// <inheritdoc/>
    public override string Name => "flip";

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

    private static StrategyCost Costs(ClipModelConfig model, FlipConfig flip)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(flip);
        if (model.Vision is not VisionTransformerConfig vit)
            throw new ConfigException($"training.strategy \"flip\" needs a ViT image tower (it masks patch tokens); this model's tower is a {model.Vision.GetType().Name}.");
        int kept = flip.KeptPatches(vit.NumPatches);
        if (kept < 1) throw new ConfigException("training.flip.maskRatio", flip.MaskRatio, $"a ratio that keeps at least one of the {vit.NumPatches} patch tokens");
        var text = model.Text.Cost(model.EmbedDim);
        double masked = TrainingCompute.FlopsPerSample(vit.Cost(model.EmbedDim, kept), text);
        double full = TrainingCompute.FlopsPerSample(vit.Cost(model.EmbedDim), text);
        return new StrategyCost(masked, full, flip.UnmaskedTuningSamples);
    }
}
