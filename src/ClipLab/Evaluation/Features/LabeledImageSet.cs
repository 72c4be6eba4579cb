using static TorchSharp.torch;

namespace ClipLab.Evaluation.Features;

/// <summary>
/// A set of labeled images for evaluation, with the pixels loaded only when needed: the labels are known up
/// front, while decoding, shifting and resizing happen in <see cref="LoadImages"/>, which a feature-cache hit
/// skips entirely.
/// </summary>
/// <param name="CacheKey">Identifies the set among a checkpoint's cached features, e.g. <c>fashion-mnist/test-sketch</c>
/// (letters, digits, '-', '_', '.', and '/' between parts).</param>
/// <param name="Recipe">Everything that determines the pixels (source, count, transforms, size, version): a cached
/// file made from another recipe is recomputed.</param>
/// <param name="Labels">Class index per image.</param>
/// <param name="LoadImages">Returns uint8 [N, C, S, S] at the model's input size, N = Labels.Length; the caller owns it.</param>
public sealed record LabeledImageSet(string CacheKey, string Recipe, int[] Labels, Func<Tensor> LoadImages)
{
    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;
}
