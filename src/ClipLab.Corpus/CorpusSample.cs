using ClipLab.Data;

namespace ClipLab.Corpus;

/// <summary>A corpus sample and the split it belongs to.</summary>
/// <param name="Sample">The sample.</param>
/// <param name="Split">Train or held-out (<see cref="HeldOutSplit"/>).</param>
/// <param name="Source">The importer it came from.</param>
public sealed record CorpusSample(RawSample Sample, CorpusSplit Split, string Source);
