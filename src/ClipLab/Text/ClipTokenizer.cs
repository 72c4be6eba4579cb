using Google.Protobuf;
using Microsoft.ML.Tokenizers;
using TorchSharp;

namespace ClipLab.Text;

/// <summary>
/// Turns captions and prompts into fixed-length rows of token ids for the CLIP text tower, using a
/// SentencePiece model (unigram or bpe) through Microsoft.ML.Tokenizers.
/// </summary>
/// <remarks>
/// Every row holds exactly one end-of-text id: the first <see cref="ContextLength"/> − 1 text tokens, then
/// <see cref="EndOfTextId"/>, then <see cref="PadId"/> up to the context length. The text tower pools at the
/// end-of-text position, so it always finds one, even when the text was truncated.
/// Instances are immutable and safe for concurrent use: the underlying SentencePiece model keeps no mutable
/// state while encoding or decoding (checked for Microsoft.ML.Tokenizers 2.0.1), so no lock is taken.
/// </remarks>
public sealed class ClipTokenizer
{
    /// <summary>The pad id used when a model declares none (sentencepiece's default pad_id is −1, i.e. absent).</summary>
    public const int FallbackPadId = 0;

    private const string HowToFix = "pass --tokenizer PATH to a SentencePiece .model file, or run scripts/make-tokenizer.sh to re-create the shipped one";

    private readonly SentencePieceTokenizer _tokenizer;

    private ClipTokenizer(SentencePieceTokenizer tokenizer, string modelPath, int contextLength, int vocabSize, int padId, int endOfTextId, int beginOfTextId)
    {
        _tokenizer = tokenizer;
        ModelPath = modelPath;
        ContextLength = contextLength;
        VocabSize = vocabSize;
        PadId = padId;
        EndOfTextId = endOfTextId;
        BeginOfTextId = beginOfTextId;
    }

    /// <summary>Path of the tokenizer model shipped with ClipLab (<c>assets/tokenizer/cliplab-spm-8k.model</c> next to the library).</summary>
    public static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, "assets", "tokenizer", "cliplab-spm-8k.model");

    /// <summary>Number of pieces in the model; every id is in [0, VocabSize).</summary>
    public int VocabSize { get; }

    /// <summary>Number of ids per encoded row (text tokens + one end-of-text + padding).</summary>
    public int ContextLength { get; }

    /// <summary>Id used to pad rows: the model's pad id, or <see cref="FallbackPadId"/> when the model declares none.</summary>
    public int PadId { get; }

    /// <summary>The model's end-of-sentence id, placed once in every row after the text tokens.</summary>
    public int EndOfTextId { get; }

    /// <summary>The model's beginning-of-sentence id, or −1 when it has none. Never emitted; skipped when decoding.</summary>
    public int BeginOfTextId { get; }

    /// <summary>Full path of the model file this tokenizer was loaded from.</summary>
    public string ModelPath { get; }

    /// <summary>Loads the shipped tokenizer model (<see cref="DefaultModelPath"/>).</summary>
    /// <param name="contextLength">Ids per row, at least 2.</param>
    public static ClipTokenizer LoadDefault(int contextLength = 16) => Load(DefaultModelPath, contextLength);

    /// <summary>Loads any SentencePiece <c>.model</c> file (unigram or bpe).</summary>
    /// <param name="modelPath">Path of the SentencePiece model.</param>
    /// <param name="contextLength">Ids per row, at least 2 (one text token and the end-of-text id).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="contextLength"/> is below 2.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a usable SentencePiece model.</exception>
    public static ClipTokenizer Load(string modelPath, int contextLength = 16)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (contextLength < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength,
                $"Context length must be in [2, {int.MaxValue}]: one or more text tokens plus the end-of-text id.");
        }

        string fullPath = Path.GetFullPath(modelPath);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Tokenizer model not found at '{fullPath}': {HowToFix}.", fullPath);
        }

        byte[] bytes = File.ReadAllBytes(fullPath);
        SentencePieceModelHeader header;
        SentencePieceTokenizer tokenizer;
        try
        {
            header = SentencePieceModelHeader.Parse(bytes);
            using var stream = new MemoryStream(bytes, writable: false);
            tokenizer = SentencePieceTokenizer.Create(stream, addBeginningOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception ex) when (ex is InvalidProtocolBufferException or ArgumentException or InvalidOperationException
                                       or FormatException or IndexOutOfRangeException or NullReferenceException)
        {
            throw new InvalidDataException($"'{fullPath}' is not a valid SentencePiece model ({ex.Message}): {HowToFix}.", ex);
        }

        if (header.PieceCount == 0)
        {
            throw new InvalidDataException($"'{fullPath}' is not a valid SentencePiece model (it has no pieces): {HowToFix}.");
        }

        int endOfText = header.EndOfSentenceId;
        if (endOfText < 0 || endOfText >= header.PieceCount)
        {
            throw new InvalidDataException(
                $"SentencePiece model '{fullPath}' has no end-of-sentence id (eos_id = {endOfText}), which CLIP needs to pool text: " +
                $"re-train it with --eos_id set, {HowToFix}.");
        }

        int pad = header.PadId >= 0 && header.PadId < header.PieceCount ? header.PadId : FallbackPadId;
        int bos = header.BeginOfSentenceId >= 0 && header.BeginOfSentenceId < header.PieceCount ? header.BeginOfSentenceId : -1;
        return new ClipTokenizer(tokenizer, fullPath, contextLength, header.PieceCount, pad, endOfText, bos);
    }

    /// <summary>Encodes text into token ids with the model's normalisation, without beginning- or end-of-text ids.</summary>
    public IReadOnlyList<int> EncodeIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false);
    }

    /// <summary>
    /// Encodes one text into exactly <see cref="ContextLength"/> ids: up to ContextLength − 1 text tokens
    /// (longer texts are truncated), one <see cref="EndOfTextId"/>, then <see cref="PadId"/>.
    /// </summary>
    public long[] EncodeRow(string text)
    {
        var row = new long[ContextLength];
        FillRow(text, row);
        return row;
    }

    /// <summary>Encodes texts into an int64 tensor of shape [texts.Count, ContextLength], rows as in <see cref="EncodeRow"/>.</summary>
    public torch.Tensor Encode(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        // One buffer and one tensor creation: cheaper than stacking per-row tensors.
        var buffer = new long[(long)texts.Count * ContextLength];
        for (int i = 0; i < texts.Count; i++)
        {
            FillRow(texts[i], buffer.AsSpan(i * ContextLength, ContextLength));
        }

        return torch.tensor(buffer, new long[] { texts.Count, ContextLength }, dtype: torch.ScalarType.Int64);
    }

    /// <summary>
    /// Decodes ids back to (normalised) text: stops at the first <see cref="EndOfTextId"/>, skips pad and
    /// beginning-of-text ids.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside [0, VocabSize).</exception>
    public string Decode(IEnumerable<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new List<int>();
        foreach (long id in ids)
        {
            if (id < 0 || id >= VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token ids must be in [0, {VocabSize}).");
            }

            if (id == EndOfTextId)
            {
                break;
            }

            if (id != PadId && id != BeginOfTextId)
            {
                text.Add((int)id);
            }
        }

        return _tokenizer.Decode(text);
    }

    private void FillRow(string text, Span<long> row)
    {
        ArgumentNullException.ThrowIfNull(text);
        IReadOnlyList<int> ids = EncodeIds(text);
        int count = Math.Min(ids.Count, ContextLength - 1);
        for (int i = 0; i < count; i++)
        {
            row[i] = ids[i];
        }

        row[count] = EndOfTextId;
        row[(count + 1)..].Fill(PadId);
    }
}
