using ClipLab.Inference;
using ClipLab.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Interop.Onnx;

/// <summary>How far an exported model's embeddings are from the TorchSharp model's on the same inputs.</summary>
/// <param name="BatchSizes">The batch sizes compared.</param>
/// <param name="ImageMaxAbsDifference">Largest |ONNX − TorchSharp| over every image embedding element.</param>
/// <param name="TextMaxAbsDifference">Largest |ONNX − TorchSharp| over every text embedding element.</param>
public sealed record OnnxVerificationResult(IReadOnlyList<int> BatchSizes, double ImageMaxAbsDifference, double TextMaxAbsDifference)
{
    /// <summary>The larger of the two differences.</summary>
    public double MaxAbsDifference => Math.Max(ImageMaxAbsDifference, TextMaxAbsDifference);

    /// <summary>Whether both are within <see cref="OnnxVerification.Tolerance"/>.</summary>
    public bool Passed => MaxAbsDifference <= OnnxVerification.Tolerance;
}

/// <summary>
/// Checks an exported model against the TorchSharp model it came from: random pixels in [-1, 1] and random token rows
/// (end-of-text at a random place, padding after; one row with no end-of-text) go through both, at several batch sizes.
/// </summary>
public static class OnnxVerification
{
    /// <summary>Largest element difference of unit-norm fp32 embeddings that counts as the same model.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Batch sizes compared by default: one, and a few that no export fixes.</summary>
    public static readonly IReadOnlyList<int> DefaultBatchSizes = [1, 3, 8];

    /// <summary>Compares <paramref name="onnx"/> with <paramref name="model"/> at each of <paramref name="batchSizes"/>.</summary>
    public static OnnxVerificationResult Compare(ClipModel model, ClipOnnxModel onnx, IReadOnlyList<int>? batchSizes = null, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onnx);
        batchSizes ??= DefaultBatchSizes;
        var rng = new Random(seed);
        var vision = model.Config.Vision;
        var text = model.Config.Text;
        double imageDiff = 0, textDiff = 0;
        using var noGrad = no_grad();
        model.eval();
        foreach (var batch in batchSizes)
        {
            using var scope = NewDisposeScope();
            var pixels = new float[(long)batch * vision.Channels * vision.ImageSize * vision.ImageSize];
            for (long i = 0; i < pixels.LongLength; i++) pixels[i] = (float)(rng.NextDouble() * 2 - 1);
            var images = torch.tensor(pixels).reshape(batch, vision.Channels, vision.ImageSize, vision.ImageSize);
            imageDiff = Math.Max(imageDiff, MaxAbsDifference(model.EncodeImage(images), onnx.EmbedPixels(pixels, batch)));

            var tokens = RandomTokenRows(rng, batch, text);
            var tokenTensor = torch.tensor(tokens).reshape(batch, text.ContextLength);
            textDiff = Math.Max(textDiff, MaxAbsDifference(model.EncodeText(tokenTensor), onnx.EmbedTokens(tokens, batch)));
        }

        return new OnnxVerificationResult(batchSizes, imageDiff, textDiff);
    }

    /// <summary>Largest |a − b| between a TorchSharp embedding matrix and an ONNX one of the same shape.</summary>
    public static double MaxAbsDifference(Tensor reference, EmbeddingMatrix onnx)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(onnx);
        using var cpu = reference.detach().to(ScalarType.Float32, CPU).contiguous();
        var expected = cpu.data<float>().ToArray();
        if (expected.Length != onnx.Values.Length)
            throw new InvalidOperationException($"the ONNX model gave {onnx.Values.Length} values where TorchSharp gave {expected.Length}.");
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs(expected[i] - onnx.Values[i]));
        return max;
    }

    private static long[] RandomTokenRows(Random rng, int batch, TextTransformerConfig text)
    {
        int length = text.ContextLength;
        var tokens = new long[(long)batch * length];
        for (int row = 0; row < batch; row++)
        {
            // The last row has no end-of-text token, so pooling falls back to the last position, as in TextTransformer.
            int end = row == batch - 1 && batch > 1 ? length : rng.Next(1, length);
            for (int i = 0; i < length; i++)
            {
                long id = i < end ? RandomTextId(rng, text) : i == end ? text.EndOfTextId : text.PadId;
                tokens[(long)row * length + i] = id;
            }
        }

        return tokens;
    }

    private static long RandomTextId(Random rng, TextTransformerConfig text)
    {
        long id;
        do
        {
            id = rng.Next(text.VocabSize);
        }
        while (id == text.EndOfTextId);
        return id;
    }
}
