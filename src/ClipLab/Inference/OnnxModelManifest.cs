using ClipLab.Configuration;

namespace ClipLab.Inference;

/// <summary>
/// The JSON file (<see cref="FileName"/>) beside an exported model: which files hold the two encoders and the tokenizer,
/// how to tokenize and preprocess, the embedding size and the learned logit scale (and SigLIP bias).
/// </summary>
public sealed record OnnxModelManifest
{
    /// <summary>Name of the manifest inside an exported model folder.</summary>
    public const string FileName = "cliplab-onnx.json";

    /// <summary>Name of the image encoder file: pixels [batch, C, S, S] (float) → embedding [batch, EmbedDim], unit-norm.</summary>
    public const string ImageEncoderFile = "image_encoder.onnx";

    /// <summary>Name of the text encoder file: tokens [batch, ContextLength] (int64) → embedding [batch, EmbedDim], unit-norm.</summary>
    public const string TextEncoderFile = "text_encoder.onnx";

    /// <summary>Name of the copied SentencePiece tokenizer model.</summary>
    public const string TokenizerFile = "tokenizer.model";

    /// <summary>Version of this layout, raised when a reader would misread a newer one.</summary>
    public int FormatVersion { get; init; } = 1;

    /// <summary>The model's name or, when it has none, its vision family and sizes.</summary>
    public string ModelName { get; init; } = "";

    /// <summary>Vision tower family (vit, resnet, modified-resnet, convnext, mixer).</summary>
    public string VisionFamily { get; init; } = "";

    /// <summary>Dimension of both encoders' embeddings.</summary>
    public int EmbedDim { get; init; }

    /// <summary>ONNX operator set of both graphs.</summary>
    public int Opset { get; init; }

    /// <summary>Image encoder file name (relative to the folder).</summary>
    public string ImageEncoder { get; init; } = ImageEncoderFile;

    /// <summary>Text encoder file name (relative to the folder).</summary>
    public string TextEncoder { get; init; } = TextEncoderFile;

    /// <summary>SentencePiece tokenizer file name (relative to the folder).</summary>
    public string Tokenizer { get; init; } = TokenizerFile;

    /// <summary>Token rows are this long: text ids, then end-of-text, then padding (longer texts are cut).</summary>
    public int ContextLength { get; init; }

    /// <summary>Image preprocessing.</summary>
    public ImagePreprocessingSpec Preprocessing { get; init; } = new();

    /// <summary>Multiplier of cosine similarities in the logits: exp of the learned log scale.</summary>
    public double LogitScale { get; init; }

    /// <summary>SigLIP's learned logit bias (added after scaling; probabilities are sigmoids), or null for CLIP (softmax).</summary>
    public double? LogitBias { get; init; }

    /// <summary>Reads and validates the manifest of the model folder <paramref name="folder"/>.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">The folder has no manifest or lacks a file it names.</exception>
    /// <exception cref="InvalidDataException">The manifest is malformed.</exception>
    public static OnnxModelManifest Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"model folder not found: {folder}; export one with `cliplab export onnx --checkpoint RUN --out DIR`.");
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder} is not an exported model (no {FileName}); export one with `cliplab export onnx --checkpoint RUN --out DIR`.", path);
        OnnxModelManifest manifest;
        try
        {
            manifest = ConfigJson.Load<OnnxModelManifest>(path);
        }
        catch (ConfigException ex)
        {
            throw new InvalidDataException($"{ex.Message}; re-export the model with `cliplab export onnx`.", ex);
        }

        manifest.Validate(path);
        foreach (var file in new[] { manifest.ImageEncoder, manifest.TextEncoder, manifest.Tokenizer })
        {
            var full = Path.Combine(folder, file);
            if (!File.Exists(full)) throw new FileNotFoundException($"{path} names {file}, which is missing; re-export the model with `cliplab export onnx`.", full);
        }

        return manifest;
    }

    /// <summary>Writes the manifest into <paramref name="folder"/> (atomically).</summary>
    public void Save(string folder) => ConfigJson.Save(this, Path.Combine(folder, FileName));

    private void Validate(string source)
    {
        void Fail(string what) => throw new InvalidDataException($"{source}: {what}; re-export the model with `cliplab export onnx`.");
        if (FormatVersion != 1) Fail($"formatVersion {FormatVersion} is not supported by this ClipLab (it reads 1)");
        if (EmbedDim < 1) Fail($"embedDim must be positive, got {EmbedDim}");
        if (ContextLength < 2) Fail($"contextLength must be at least 2, got {ContextLength}");
        if (!(LogitScale > 0) || double.IsInfinity(LogitScale)) Fail($"logitScale must be a positive number, got {LogitScale}");
        if (LogitBias is double bias && !double.IsFinite(bias)) Fail($"logitBias must be finite, got {bias}");
        Preprocessing.Validate(source);
    }
}
