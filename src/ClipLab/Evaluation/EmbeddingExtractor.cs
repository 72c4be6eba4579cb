using ClipLab.Data;
using ClipLab.Imaging;
using ClipLab.Models;
using ClipLab.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Evaluation;

/// <summary>Computes L2-normalised embeddings of many images or texts in batches, without gradients.</summary>
public static class EmbeddingExtractor
{
    /// <summary>Embeds every image of <paramref name="pairs"/>; returns float [images, embed].</summary>
    public static Tensor Images(ClipModel model, ImageTextPairs pairs, int batchSize)
    {
        using var noGrad = torch.no_grad();
        model.eval();
        int channels = model.Config.Vision.Channels;
        var device = ModelPlacement.DeviceOf(model);
        var parts = new List<Tensor>();
        for (long start = 0; start < pairs.ImageCount; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(batchSize, pairs.ImageCount - start);
            var images = pairs.ImageRange(start, count, channels);
            parts.Add(ModelPlacement.ToCpuFloat(model.EncodeImage(ModelPlacement.To(images, device))).MoveToOuterDisposeScope());
        }
        return Concat(parts);
    }

    /// <summary>
    /// Embeds uint8 images [N, C, size, size] at the model's input size (mapped to [-1, 1], one channel
    /// repeated for colour models); returns float [N, embed], unit-norm.
    /// </summary>
    public static Tensor Images(ClipModel model, Tensor images, int batchSize)
    {
        if (images.dtype != ScalarType.Byte || images.dim() != 4)
            throw new ArgumentException($"expected uint8 images [N, C, H, W], got {images.dtype} [{string.Join(", ", images.shape)}]");
        using var noGrad = torch.no_grad();
        model.eval();
        int channels = model.Config.Vision.Channels;
        var device = ModelPlacement.DeviceOf(model);
        var parts = new List<Tensor>();
        for (long start = 0; start < images.shape[0]; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(batchSize, images.shape[0] - start);
            var batch = ImageTensors.ToSignedUnitRange(images.narrow(0, start, count), channels);
            parts.Add(ModelPlacement.ToCpuFloat(model.EncodeImage(ModelPlacement.To(batch, device))).MoveToOuterDisposeScope());
        }
        if (parts.Count == 0) return torch.empty(0, model.Config.EmbedDim);
        return Concat(parts);
    }

    /// <summary>Embeds token rows [N, context]; returns float [N, embed].</summary>
    public static Tensor Texts(ClipModel model, Tensor tokens, int batchSize)
    {
        using var noGrad = torch.no_grad();
        model.eval();
        var device = ModelPlacement.DeviceOf(model);
        var parts = new List<Tensor>();
        for (long start = 0; start < tokens.shape[0]; start += batchSize)
        {
            using var scope = torch.NewDisposeScope();
            long count = Math.Min(batchSize, tokens.shape[0] - start);
            parts.Add(ModelPlacement.ToCpuFloat(model.EncodeText(ModelPlacement.To(tokens.narrow(0, start, count), device))).MoveToOuterDisposeScope());
        }
        return Concat(parts);
    }

    private static Tensor Concat(List<Tensor> parts)
    {
        var result = torch.cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return result;
    }
}
