using Google.Protobuf;

namespace ClipLab.Text;

/// <summary>
/// The few facts ClipLab needs from a SentencePiece <c>.model</c> file that Microsoft.ML.Tokenizers does
/// not expose: the number of pieces and the special ids recorded in the model's trainer spec.
/// </summary>
/// <remarks>
/// Why a hand-written reader: the library's generated <c>Sentencepiece.ModelProto</c> is internal and its
/// tokenizer has no pad id, yet the pad id must be the model's own so that any model (8k, 32k, ...) works.
/// Field numbers follow sentencepiece_model.proto: ModelProto.pieces = 1, ModelProto.trainer_spec = 2;
/// TrainerSpec.model_type = 3, unk_id = 40, bos_id = 41, eos_id = 42, pad_id = 43.
/// </remarks>
internal sealed record SentencePieceModelHeader(int PieceCount, int UnknownId, int BeginOfSentenceId, int EndOfSentenceId, int PadId, int ModelType)
{
    private const int PiecesField = 1;
    private const int TrainerSpecField = 2;
    private const int ModelTypeField = 3;
    private const int UnknownIdField = 40;
    private const int BeginOfSentenceIdField = 41;
    private const int EndOfSentenceIdField = 42;
    private const int PadIdField = 43;

    /// <summary>Parses the header facts; throws <see cref="InvalidProtocolBufferException"/> on malformed bytes.</summary>
    public static SentencePieceModelHeader Parse(byte[] modelBytes)
    {
        // Defaults are those of sentencepiece_model.proto, used when a field is absent.
        int pieces = 0, unk = 0, bos = 1, eos = 2, pad = -1, modelType = 1;
        var input = new CodedInputStream(modelBytes);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case PiecesField when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    input.SkipLastField();
                    pieces++;
                    break;
                case TrainerSpecField when WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited:
                    var spec = new CodedInputStream(input.ReadBytes().ToByteArray());
                    uint specTag;
                    while ((specTag = spec.ReadTag()) != 0)
                    {
                        bool isVarint = WireFormat.GetTagWireType(specTag) == WireFormat.WireType.Varint;
                        switch (WireFormat.GetTagFieldNumber(specTag))
                        {
                            case ModelTypeField when isVarint: modelType = spec.ReadInt32(); break;
                            case UnknownIdField when isVarint: unk = spec.ReadInt32(); break;
                            case BeginOfSentenceIdField when isVarint: bos = spec.ReadInt32(); break;
                            case EndOfSentenceIdField when isVarint: eos = spec.ReadInt32(); break;
                            case PadIdField when isVarint: pad = spec.ReadInt32(); break;
                            default: spec.SkipLastField(); break;
                        }
                    }
                    break;
                default:
                    input.SkipLastField();
                    break;
            }
        }

        return new SentencePieceModelHeader(pieces, unk, bos, eos, pad, modelType);
    }
}
