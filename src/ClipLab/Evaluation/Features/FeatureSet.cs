using static TorchSharp.torch;

namespace ClipLab.Evaluation.Features;

/// <summary>
/// Frozen image features of one labeled image set: the model's unit-norm image embeddings [N, E] (float32)
/// and the class label of each image. Zero-shot, linear-probe and few-shot evaluation all read these. The
/// tensor is not owned by this object but by whoever made it (the <see cref="FeatureCache"/> for cached sets),
/// so several benchmarks can label the same features differently.
/// </summary>
public sealed record FeatureSet
{
    /// <summary>Pairs features with labels.</summary>
    /// <exception cref="ArgumentException">The features are not [N, E] float32 with N = number of labels.</exception>
    public FeatureSet(Tensor features, int[] labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.dim() != 2 || features.shape[0] != labels.Length || features.dtype != ScalarType.Float32)
            throw new ArgumentException($"features must be float32 [{labels.Length}, E], got {features.dtype} [{string.Join(", ", features.shape)}]");
        Features = features;
        Labels = labels;
    }

    /// <summary>float32 [N, E], one row per image.</summary>
    public Tensor Features { get; }

    /// <summary>Class index per image.</summary>
    public int[] Labels { get; }

    /// <summary>Number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Embedding width E.</summary>
    public int Dimension => (int)Features.shape[1];
}
