using static TorchSharp.torch;

namespace ClipLab.Training.Strategies;

/// <summary>
/// Everything one training step feeds the model, fixed before any forward pass (including FLIP's random token choice),
/// so the batch can be encoded in slices, or twice, with identical results.
/// </summary>
/// <param name="Images">Image–text view [B, C, S, S].</param>
/// <param name="Tokens">Caption tokens [B, context].</param>
/// <param name="ExtraViews">Extra augmented views, each [B, C, S, S] (SLIP's two SimCLR views; empty otherwise).</param>
/// <param name="KeepPatches">Patch tokens each image keeps [B, K] (FLIP), or null to keep all.</param>
public sealed record StepInputs(Tensor Images, Tensor Tokens, IReadOnlyList<Tensor> ExtraViews, Tensor? KeepPatches)
{
    /// <summary>Samples in the batch.</summary>
    public long Count => Images.shape[0];

    /// <summary>Samples <paramref name="start"/>..start+length of every input, as views in the caller's dispose scope.</summary>
    public StepInputs Slice(long start, long length) => new(
        Images.narrow(0, start, length),
        Tokens.narrow(0, start, length),
        ExtraViews.Select(v => v.narrow(0, start, length)).ToArray(),
        KeepPatches?.narrow(0, start, length));
}
