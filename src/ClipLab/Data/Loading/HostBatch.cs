using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Data.Loading;

/// <summary>
/// A batch assembled by a loader worker in managed memory: images as CHW floats and token rows, ready to
/// become tensors with one copy each on the training thread.
/// </summary>
public sealed class HostBatch
{
    internal HostBatch(int capacity, int imageFloats, int contextLength, int imageViews = 1)
    {
        ImageViews = imageViews;
        Images = new float[capacity * imageFloats];
        Tokens = new long[capacity * contextLength];
        Keys = new string[capacity];
        Captions = new string[capacity];
        ImageFloats = imageFloats;
        ContextLength = contextLength;
    }

    /// <summary>Images, <see cref="Count"/> × views × C × H × W floats (the tail beyond Count is unused).</summary>
    public float[] Images { get; }

    /// <summary>Tokens, <see cref="Count"/> × context length.</summary>
    public long[] Tokens { get; }

    /// <summary>Keys of the samples, for tracing.</summary>
    public string[] Keys { get; }

    /// <summary>Captions of the samples as read (before tokenising), for consumers that report per-sample results.</summary>
    public string[] Captions { get; }

    /// <summary>Samples in the batch.</summary>
    public int Count { get; internal set; }

    /// <summary>Floats per sample (all its views).</summary>
    public int ImageFloats { get; }

    /// <summary>Image views per sample (1 unless a strategy asked for extra views).</summary>
    public int ImageViews { get; }

    /// <summary>Tokens per caption.</summary>
    public int ContextLength { get; }

    /// <summary>
    /// Copies the batch into tensors in the caller's dispose scope: images [Count, C, S, S] (with several views per
    /// sample, [Count, views, C, S, S]) and tokens [Count, context].
    /// </summary>
    public (Tensor Images, Tensor Tokens) ToTensors(int channels, int imageSize)
    {
        // A full batch hands its arrays over as they are; a short (last) one is trimmed first.
        var imageData = Count * ImageFloats == Images.Length ? Images : Images.AsSpan(0, Count * ImageFloats).ToArray();
        var tokenData = Count * ContextLength == Tokens.Length ? Tokens : Tokens.AsSpan(0, Count * ContextLength).ToArray();
        var images = ImageViews == 1
            ? torch.tensor(imageData, new long[] { Count, channels, imageSize, imageSize })
            : torch.tensor(imageData, new long[] { Count, ImageViews, channels, imageSize, imageSize });
        var tokens = torch.tensor(tokenData, new long[] { Count, ContextLength });
        return (images, tokens);
    }
}
