using ClipLab.Imaging;
using ClipLab.Text;
using Microsoft.ML.OnnxRuntime;

namespace ClipLab.Inference;

/// <summary>
/// A model exported by <c>cliplab export onnx</c>, run on the CPU by ONNX Runtime: embeds image files (decoded and
/// preprocessed as evaluation does), pixel batches, texts (tokenized by the copied tokenizer) and token rows. Needs no
/// TorchSharp. Not thread-safe for concurrent calls that change <see cref="BatchSize"/>; the sessions themselves are.
/// </summary>
public sealed class ClipOnnxModel : IDisposable
{
    private const string PixelsInput = "pixels";
    private const string TokensInput = "tokens";
    private const string EmbeddingOutput = "embedding";

    private readonly InferenceSession _imageEncoder;
    private readonly InferenceSession _textEncoder;
    private readonly EvaluationPreprocessing _preprocessing;

    private ClipOnnxModel(string folder, OnnxModelManifest manifest, InferenceSession image, InferenceSession text, ClipTokenizer tokenizer)
    {
        Folder = folder;
        Manifest = manifest;
        _imageEncoder = image;
        _textEncoder = text;
        Tokenizer = tokenizer;
        var spec = manifest.Preprocessing;
        _preprocessing = new EvaluationPreprocessing(spec.ImageSize, spec.Channels, spec.CropFraction);
    }

    /// <summary>The exported model folder.</summary>
    public string Folder { get; }

    /// <summary>The folder's manifest.</summary>
    public OnnxModelManifest Manifest { get; }

    /// <summary>The tokenizer the text encoder was trained with.</summary>
    public ClipTokenizer Tokenizer { get; }

    /// <summary>Images or texts per encoder call when embedding many.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>Loads the exported model in <paramref name="folder"/>.</summary>
    /// <param name="folder">A folder written by <c>cliplab export onnx</c>.</param>
    /// <param name="threads">Intra-op threads of ONNX Runtime; 0 lets it choose (one per physical core).</param>
    /// <exception cref="FileNotFoundException">The folder is not an exported model or lacks a file.</exception>
    /// <exception cref="InvalidDataException">The manifest, an encoder file or the tokenizer is corrupt.</exception>
    public static ClipOnnxModel Load(string folder, int threads = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        var manifest = OnnxModelManifest.Load(folder);
        var tokenizer = ClipTokenizer.Load(Path.Combine(folder, manifest.Tokenizer), manifest.ContextLength);
        using var options = new SessionOptions { IntraOpNumThreads = threads };
        var image = OpenSession(Path.Combine(folder, manifest.ImageEncoder), options);
        try
        {
            var text = OpenSession(Path.Combine(folder, manifest.TextEncoder), options);
            return new ClipOnnxModel(folder, manifest, image, text, tokenizer);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    /// <summary>Embeds image files (decoded and preprocessed as evaluation does), in order; returns [files, EmbedDim].</summary>
    /// <exception cref="InvalidDataException">A file cannot be decoded; the message names it.</exception>
    public EmbeddingMatrix EmbedImageFiles(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var result = new float[(long)paths.Count * Manifest.EmbedDim];
        for (int start = 0; start < paths.Count; start += BatchSize)
        {
            int count = Math.Min(BatchSize, paths.Count - start);
            var pixels = Pixels(paths.Skip(start).Take(count).ToList());
            EncodeImages(pixels, count).CopyTo(result.AsSpan(start * Manifest.EmbedDim));
        }

        return new EmbeddingMatrix(result, Manifest.EmbedDim);
    }

    /// <summary>
    /// Embeds preprocessed pixels: <paramref name="count"/> images NCHW [count, Channels, ImageSize, ImageSize] already
    /// in the manifest's value range; returns [count, EmbedDim].
    /// </summary>
    public EmbeddingMatrix EmbedPixels(float[] pixels, int count)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        var spec = Manifest.Preprocessing;
        long perImage = (long)spec.Channels * spec.ImageSize * spec.ImageSize;
        if (count < 0 || pixels.LongLength != count * perImage)
            throw new ArgumentException($"expected {count} images of {spec.Channels}×{spec.ImageSize}×{spec.ImageSize} = {count * perImage} floats, got {pixels.LongLength}", nameof(pixels));
        return new EmbeddingMatrix(EncodeImages(pixels, count), Manifest.EmbedDim);
    }

    /// <summary>Embeds texts, in order; returns [texts, EmbedDim].</summary>
    public EmbeddingMatrix EmbedTexts(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        int length = Manifest.ContextLength;
        var tokens = new long[(long)texts.Count * length];
        for (int i = 0; i < texts.Count; i++) Tokenizer.EncodeRow(texts[i]).CopyTo(tokens.AsSpan(i * length, length));
        return EmbedTokens(tokens, texts.Count);
    }

    /// <summary>Embeds token rows [count, ContextLength] (as <see cref="ClipTokenizer.EncodeRow"/> makes them); returns [count, EmbedDim].</summary>
    public EmbeddingMatrix EmbedTokens(long[] tokens, int count)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        int length = Manifest.ContextLength;
        if (count < 0 || tokens.LongLength != (long)count * length)
            throw new ArgumentException($"expected {count} rows of {length} tokens, got {tokens.LongLength} ids", nameof(tokens));
        var result = new float[(long)count * Manifest.EmbedDim];
        for (int start = 0; start < count; start += BatchSize)
        {
            int rows = Math.Min(BatchSize, count - start);
            var batch = tokens.AsSpan(start * length, rows * length).ToArray();
            Run(_textEncoder, TokensInput, batch, [rows, length]).CopyTo(result.AsSpan(start * Manifest.EmbedDim));
        }

        return new EmbeddingMatrix(result, Manifest.EmbedDim);
    }

    /// <summary>Decodes and preprocesses image files into the encoder's input [files, C, S, S] (in parallel).</summary>
    public float[] Pixels(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var spec = Manifest.Preprocessing;
        int bytes = _preprocessing.PlaneBytes;
        int plane = spec.ImageSize * spec.ImageSize;
        var pixels = new float[(long)paths.Count * bytes];
        // Bytes map onto the value range as evaluation maps them (divide, then shift), so the floats match bit for bit.
        float scale = 255f / (spec.ValueRange[1] - spec.ValueRange[0]);
        float low = spec.ValueRange[0];
        try
        {
            Parallel.For(0, paths.Count, i => Preprocess(paths[i], pixels.AsSpan(i * bytes, bytes), scale, low, plane));
        }
        catch (AggregateException ex) when (ex.InnerExceptions[0] is InvalidDataException first)
        {
            // One clear line naming the first bad file, not the parallel loop's wrapper.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(first);
        }

        return pixels;
    }

    private void Preprocess(string path, Span<float> destination, float scale, float low, int plane)
    {
        var spec = Manifest.Preprocessing;
        int bytes = destination.Length;
        byte[] encoded;
        try
        {
            encoded = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"cannot read image {path}: {ex.Message}", ex);
        }

        var planes = new byte[bytes];
        _preprocessing.Write(encoded, path, planes);
        for (int p = 0; p < bytes; p++)
        {
            float value = planes[p] / scale + low;
            if (spec.Mean is not null) value = (value - spec.Mean[p / plane]) / spec.Std![p / plane];
            destination[p] = value;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _imageEncoder.Dispose();
        _textEncoder.Dispose();
    }

    private float[] EncodeImages(float[] pixels, int count)
    {
        var spec = Manifest.Preprocessing;
        long perImage = (long)spec.Channels * spec.ImageSize * spec.ImageSize;
        var result = new float[(long)count * Manifest.EmbedDim];
        for (int start = 0; start < count; start += BatchSize)
        {
            int rows = Math.Min(BatchSize, count - start);
            var batch = rows == count ? pixels : pixels.AsSpan((int)(start * perImage), (int)(rows * perImage)).ToArray();
            Run(_imageEncoder, PixelsInput, batch, [rows, spec.Channels, spec.ImageSize, spec.ImageSize])
                .CopyTo(result.AsSpan(start * Manifest.EmbedDim));
        }

        return result;
    }

    private static float[] Run<T>(InferenceSession session, string inputName, T[] input, long[] shape) where T : unmanaged
    {
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [inputName], [value], [EmbeddingOutput]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }

    private static InferenceSession OpenSession(string path, SessionOptions options)
    {
        try
        {
            return new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"{path} is not a valid ONNX model ({ex.Message.Split('\n')[0]}); re-export it with `cliplab export onnx`.", ex);
        }
    }
}
