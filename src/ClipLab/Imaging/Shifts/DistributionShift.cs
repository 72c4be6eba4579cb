using ClipLab.Imaging.Ops;

namespace ClipLab.Imaging.Shifts;

/// <summary>One registered distribution shift: its name, what it does, and the op at its fixed severity.</summary>
/// <param name="Name">Short name used in benchmark names and JSON (<c>sketch</c>, <c>noise</c> …).</param>
/// <param name="Description">What the shift does, with its severity.</param>
/// <param name="Op">The image op at the registered severity.</param>
public sealed record DistributionShift(string Name, string Description, IImageOp Op)
{
    /// <summary>
    /// Applies the shift to image number <paramref name="imageIndex"/> of a benchmark. Any randomness (noise,
    /// rotation direction) comes from a generator seeded by <paramref name="seed"/>, the shift's name and the
    /// index alone, so the shifted benchmark is the same in every process, thread order and machine.
    /// </summary>
    public RgbImage Apply(RgbImage image, long imageIndex, ulong seed = DistributionShiftRegistry.DefaultSeed) =>
        Op.Apply(image, SeedMixer.Random(seed, unchecked((long)StableHash.Of(Name)), imageIndex));
}
