using ClipLab.Text;
using Google.Protobuf;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Text;

public sealed class ClipTokenizerTests
{
    private static readonly ClipTokenizer Tokenizer = ClipTokenizer.LoadDefault();

    [Theory]
    [InlineData("a photo of a t-shirt.", "a photo of a t-shirt.")]
    [InlineData("A Dark Grey ANKLE boot", "a dark grey ankle boot")]
    [InlineData("trousers   with  extra   spaces ", "trousers with extra spaces")]
    [InlineData("(usually in the plural) a garment extending from the waist to the knee or ankle, covering each leg separately",
                "(usually in the plural) a garment extending from the waist to the knee or ankle, covering each leg separately")]
    [InlineData("product photo of an elegant sundress; a one-piece garment", "product photo of an elegant sundress; a one-piece garment")]
    public void EncodeThenDecode_ReturnsNormalisedText(string text, string normalised)
    {
        var ids = Tokenizer.EncodeIds(text);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.InRange(id, 0, Tokenizer.VocabSize - 1));
        Assert.DoesNotContain(Tokenizer.EndOfTextId, ids);
        Assert.Equal(normalised, Tokenizer.Decode(ids.Select(i => (long)i)));
    }

    [Fact]
    public void ShippedModel_HasExpectedVocabularyAndSpecialIds()
    {
        Assert.Equal(8192, Tokenizer.VocabSize);
        Assert.Equal(0, Tokenizer.PadId);
        Assert.Equal(3, Tokenizer.EndOfTextId);
        Assert.Equal(2, Tokenizer.BeginOfTextId);
        Assert.Equal(16, Tokenizer.ContextLength);
        Assert.Equal(Path.GetFullPath(ClipTokenizer.DefaultModelPath), Tokenizer.ModelPath);
    }

    [Fact]
    public void EncodeRow_ShortText_IsTokensThenOneEndOfTextThenPadding()
    {
        var ids = Tokenizer.EncodeIds("a bag");
        long[] row = Tokenizer.EncodeRow("a bag");

        Assert.Equal(Tokenizer.ContextLength, row.Length);
        Assert.Equal(ids.Select(i => (long)i), row.Take(ids.Count));
        Assert.Equal(Tokenizer.EndOfTextId, row[ids.Count]);
        Assert.All(row.Skip(ids.Count + 1), id => Assert.Equal(Tokenizer.PadId, id));
        Assert.Single(row, id => id == Tokenizer.EndOfTextId);
        Assert.Equal("a bag", Tokenizer.Decode(row));
    }

    [Fact]
    public void EncodeRow_EmptyText_IsEndOfTextThenPadding()
    {
        long[] row = Tokenizer.EncodeRow("");
        Assert.Equal(Tokenizer.EndOfTextId, row[0]);
        Assert.All(row.Skip(1), id => Assert.Equal(Tokenizer.PadId, id));
    }

    [Fact]
    public void EncodeRow_LongText_KeepsFirstContextMinusOneTokensThenEndOfText()
    {
        var tokenizer = ClipTokenizer.Load(ClipTokenizer.DefaultModelPath, contextLength: 8);
        const string text = "a heavy coat worn over clothes in winter, with long sleeves, deep pockets and a wide collar";
        var ids = tokenizer.EncodeIds(text);
        Assert.True(ids.Count > 7, "test text must be longer than the context");

        long[] row = tokenizer.EncodeRow(text);

        Assert.Equal(8, row.Length);
        Assert.Equal(ids.Take(7).Select(i => (long)i), row.Take(7));
        Assert.Equal(tokenizer.EndOfTextId, row[7]);
        Assert.Single(row, id => id == tokenizer.EndOfTextId);
        Assert.StartsWith(tokenizer.Decode(row), text);
    }

    [Fact]
    public void Encode_ReturnsInt64TensorWithOneRowPerText()
    {
        string[] texts = ["a photo of a dress.", "sneaker for sale", ""];
        using var scope = torch.NewDisposeScope();
        var tensor = Tokenizer.Encode(texts);

        Assert.Equal(torch.ScalarType.Int64, tensor.dtype);
        Assert.Equal(new long[] { 3, Tokenizer.ContextLength }, tensor.shape);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(Tokenizer.EncodeRow(texts[i]), tensor[i].data<long>().ToArray());
        }
    }

    [Fact]
    public void Encode_EmptyList_ReturnsZeroRows()
    {
        using var tensor = Tokenizer.Encode([]);
        Assert.Equal(new long[] { 0, Tokenizer.ContextLength }, tensor.shape);
    }

    [Fact]
    public void Decode_StopsAtEndOfTextAndSkipsPadding()
    {
        var bag = Tokenizer.EncodeIds("bag").Select(i => (long)i).ToList();
        var coat = Tokenizer.EncodeIds("coat").Select(i => (long)i).ToList();
        long[] ids = [Tokenizer.PadId, .. bag, Tokenizer.PadId, Tokenizer.EndOfTextId, .. coat];
        Assert.Equal("bag", Tokenizer.Decode(ids));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Decode([Tokenizer.VocabSize]));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(0)]
    [InlineData(-5)]
    public void Load_ContextLengthBelowTwo_IsRejectedWithValidRange(int contextLength)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ClipTokenizer.Load(ClipTokenizer.DefaultModelPath, contextLength));
        Assert.Equal("contextLength", ex.ParamName);
        Assert.Contains("[2,", ex.Message);
    }

    [Fact]
    public void Load_ContextLengthTwo_HoldsOneTokenAndEndOfText()
    {
        var tokenizer = ClipTokenizer.Load(ClipTokenizer.DefaultModelPath, contextLength: 2);
        long[] row = tokenizer.EncodeRow("a dark grey coat");
        Assert.Equal(tokenizer.EncodeIds("a dark grey coat")[0], row[0]);
        Assert.Equal(tokenizer.EndOfTextId, row[1]);
    }

    [Fact]
    public void Load_MissingFile_NamesPathAndFix()
    {
        string path = Path.Combine(Path.GetTempPath(), "cliplab-no-such-dir", "missing.model");
        var ex = Assert.Throws<FileNotFoundException>(() => ClipTokenizer.Load(path));
        Assert.Contains(path, ex.Message);
        Assert.Contains("--tokenizer", ex.Message);
        Assert.Contains("make-tokenizer.sh", ex.Message);
    }

    [Theory]
    [InlineData("this is a text file, not a SentencePiece model")]
    [InlineData("")]
    public void Load_InvalidFile_ThrowsInvalidDataNamingPath(string content)
    {
        string path = Path.Combine(Path.GetTempPath(), $"cliplab-invalid-{Guid.NewGuid():N}.model");
        File.WriteAllText(path, content);
        try
        {
            var ex = Assert.Throws<InvalidDataException>(() => ClipTokenizer.Load(path));
            Assert.Contains(path, ex.Message);
            Assert.Contains("make-tokenizer.sh", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Load_ReadsSpecialIdsFromTheModel_AndFallsBackToZeroWithoutPad()
    {
        // The shipped model with its trainer spec rewritten: no pad id, eos moved to piece 5.
        string path = Path.Combine(Path.GetTempPath(), $"cliplab-rewritten-{Guid.NewGuid():N}.model");
        File.WriteAllBytes(path, RewriteTrainerSpec(File.ReadAllBytes(ClipTokenizer.DefaultModelPath), padId: null, eosId: 5));
        try
        {
            var tokenizer = ClipTokenizer.Load(path, contextLength: 6);
            Assert.Equal(ClipTokenizer.FallbackPadId, tokenizer.PadId);
            Assert.Equal(5, tokenizer.EndOfTextId);
            Assert.Equal(8192, tokenizer.VocabSize);
            long[] row = tokenizer.EncodeRow("bag");
            Assert.Equal(5, row[tokenizer.EncodeIds("bag").Count]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ConcurrentEncoding_MatchesSequentialEncoding()
    {
        var texts = Enumerable.Range(0, 400).Select(i => $"caption {i}: a {(i % 2 == 0 ? "dark" : "bright")} coat number {i * 7}").ToArray();
        var sequential = texts.Select(Tokenizer.EncodeRow).ToArray();
        var concurrent = new long[texts.Length][];
        Parallel.For(0, texts.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = Tokenizer.EncodeRow(texts[i]));
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.Equal(sequential[i], concurrent[i]);
        }
    }

    /// <summary>Copies a SentencePiece model, replacing TrainerSpec (field 2) pad_id (43) and eos_id (42).</summary>
    private static byte[] RewriteTrainerSpec(byte[] model, int? padId, int eosId)
    {
        using var output = new MemoryStream();
        var writer = new CodedOutputStream(output);
        var input = new CodedInputStream(model);
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == 2)
            {
                var spec = new CodedInputStream(input.ReadBytes().ToByteArray());
                using var specOutput = new MemoryStream();
                var specWriter = new CodedOutputStream(specOutput);
                uint specTag;
                while ((specTag = spec.ReadTag()) != 0)
                {
                    int field = WireFormat.GetTagFieldNumber(specTag);
                    if (field is 42 or 43)
                    {
                        spec.SkipLastField();
                        continue;
                    }

                    CopyField(spec, specWriter, specTag);
                }

                specWriter.WriteTag(42, WireFormat.WireType.Varint);
                specWriter.WriteInt32(eosId);
                if (padId is int pad)
                {
                    specWriter.WriteTag(43, WireFormat.WireType.Varint);
                    specWriter.WriteInt32(pad);
                }

                specWriter.Flush();
                writer.WriteTag(tag);
                writer.WriteBytes(ByteString.CopyFrom(specOutput.ToArray()));
            }
            else
            {
                CopyField(input, writer, tag);
            }
        }

        writer.Flush();
        return output.ToArray();
    }

    private static void CopyField(CodedInputStream input, CodedOutputStream output, uint tag)
    {
        output.WriteTag(tag);
        switch (WireFormat.GetTagWireType(tag))
        {
            case WireFormat.WireType.Varint: output.WriteUInt64(input.ReadUInt64()); break;
            case WireFormat.WireType.Fixed32: output.WriteFixed32(input.ReadFixed32()); break;
            case WireFormat.WireType.Fixed64: output.WriteFixed64(input.ReadFixed64()); break;
            case WireFormat.WireType.LengthDelimited: output.WriteBytes(input.ReadBytes()); break;
            default: throw new InvalidDataException($"unexpected wire type in tag {tag}");
        }
    }
}
