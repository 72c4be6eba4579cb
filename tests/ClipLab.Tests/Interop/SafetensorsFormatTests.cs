using System.Buffers.Binary;
using System.Text;
using ClipLab.Interop.Safetensors;
using Xunit;

namespace ClipLab.Tests.Interop;

public sealed class SafetensorsFormatTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("safetensors-format-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A file laid out byte by byte as the format specifies: u64 LE header length, JSON header, data buffer.</summary>
    private string HandMade(string headerJson, byte[] data, string name = "hand.safetensors")
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    [Fact]
    public void HandMadeFile_F32_F16_BF16_F64_I64_DecodeToExactValues()
    {
        // F32 [2]: 1.5, -2.25; F16 [2]: 0x3C00 = 1.0, 0xC000 = -2.0; BF16 [2]: 0x3FC0 = 1.5, 0x4049 = 3.140625;
        // F64 [1]: 0.5; I64 [] (scalar): 7. Offsets are relative to the data buffer and cover it exactly.
        var f32 = new byte[8];
        BinaryPrimitives.WriteSingleLittleEndian(f32, 1.5f);
        BinaryPrimitives.WriteSingleLittleEndian(f32.AsSpan(4), -2.25f);
        byte[] f16 = [0x00, 0x3C, 0x00, 0xC0];
        byte[] bf16 = [0xC0, 0x3F, 0x49, 0x40];
        var f64 = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.5);
        var i64 = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(i64, 7);
        const string header = """{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F16","shape":[2],"data_offsets":[8,12]},"c":{"dtype":"BF16","shape":[1,2],"data_offsets":[12,16]},"d":{"dtype":"F64","shape":[1],"data_offsets":[16,24]},"e":{"dtype":"I64","shape":[],"data_offsets":[24,32]}}  """;
        using var file = SafetensorsFile.Open(HandMade(header, Concat(f32, f16, bf16, f64, i64)));

        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(["a", "b", "c", "d", "e"], file.Entries.Select(e => e.Name));
        Assert.Equal([1.5f, -2.25f], file.ReadFloat32(file["a"]));
        Assert.Equal([1.0f, -2.0f], file.ReadFloat32(file["b"]));
        Assert.Equal(new long[] { 1, 2 }, file["c"].Shape);
        Assert.Equal([1.5f, 3.140625f], file.ReadFloat32(file["c"]));
        Assert.Equal([0.5f], file.ReadFloat32(file["d"]));
        Assert.Empty(file["e"].Shape);
        Assert.Equal([7L], file.ReadInt64(file["e"]));
    }

    [Fact]
    public void Writer_ProducesTheSpecLayout_WithHeaderPaddedToEightBytes()
    {
        var data = SafetensorsValues.EncodeFloat32([1f, 2f, 3f], SafetensorsDType.F32);
        var path = Path.Combine(_dir, "w.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", SafetensorsDType.F32, [3], data)], new Dictionary<string, string> { ["k"] = "v" });

        var bytes = File.ReadAllBytes(path);
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(bytes, 8, (int)n);
        Assert.Equal("""{"__metadata__":{"k":"v"},"x":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", header.TrimEnd(' '));
        Assert.True(header.Length - header.TrimEnd(' ').Length < 8);
        Assert.Equal(data, bytes[(int)(8 + n)..]);
    }

    [Theory]
    [InlineData(SafetensorsDType.F32)]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    [InlineData(SafetensorsDType.F64)]
    public void RoundTrip_ValuesSurviveWithinTheDTypesPrecision(SafetensorsDType dtype)
    {
        float[] values = [0f, 1f, -1f, 0.1f, 1234.5f, -3.0e-3f, float.PositiveInfinity];
        var path = Path.Combine(_dir, $"{dtype}.safetensors");
        SafetensorsWriter.Write(path, [
            new SafetensorsTensor("v", dtype, [7], SafetensorsValues.EncodeFloat32(values, dtype)),
            new SafetensorsTensor("n", SafetensorsDType.I64, [2], SafetensorsValues.EncodeInt64([long.MinValue, 42])),
            new SafetensorsTensor("empty", dtype, [0, 4], ReadOnlyMemory<byte>.Empty),
        ]);
        using var file = SafetensorsFile.Open(path);
        var back = file.ReadFloat32(file["v"]);
        var tolerance = dtype switch { SafetensorsDType.F16 => 1e-3, SafetensorsDType.BF16 => 8e-3, _ => 0.0 };
        for (var i = 0; i < values.Length; i++)
        {
            if (float.IsInfinity(values[i])) Assert.Equal(values[i], back[i]);
            else Assert.InRange(Math.Abs(back[i] - values[i]), 0, tolerance * Math.Max(1, Math.Abs(values[i])));
        }

        Assert.Equal([long.MinValue, 42L], file.ReadInt64(file["n"]));
        Assert.Equal(0, file["empty"].ElementCount);
        Assert.Empty(file.ReadFloat32(file["empty"]));
    }

    [Fact]
    public void BFloat16_RoundsToNearestEven()
    {
        // 1 + 2^-8 lies halfway between bf16 neighbours 1 and 1 + 2^-7: ties go to the even mantissa (1.0).
        Assert.Equal(0x3F80, SafetensorsValues.ToBFloat16(1f + MathF.Pow(2, -8)));
        // Just above halfway rounds up.
        Assert.Equal(0x3F81, SafetensorsValues.ToBFloat16(1f + MathF.Pow(2, -8) + MathF.Pow(2, -20)));
        Assert.Equal(0x7FC0, SafetensorsValues.ToBFloat16(float.NaN));
    }

    public static TheoryData<string, byte[], string> CorruptFiles => new()
    {
        { """["not an object"]""", [], "does not start with '{'" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", new byte[4], "truncated" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", new byte[8], "hole at bytes [0, 4)" },
        { """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}""", new byte[4], "tensor 'a' (F32, shape [2]) needs 8 bytes" },
        { """{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}""", new byte[1], "tensor 'a' has dtype 'Q4'" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[12], "8 bytes after the last tensor" },
        { """{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", new byte[4], "tensor 'b' overlaps" },
        { """{"__metadata__":{"n":1}}""", [], "__metadata__.n is not a string" },
    };

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void CorruptHeader_IsRejectedWithAMessageSayingWhatIsWrong(string header, byte[] data, string expected)
    {
        var path = HandMade(header, data);
        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TruncatedFile_IsRejected()
    {
        var path = Path.Combine(_dir, "t.safetensors");
        SafetensorsWriter.Write(path, [new SafetensorsTensor("x", SafetensorsDType.F32, [64], SafetensorsValues.EncodeFloat32(new float[64], SafetensorsDType.F32))]);
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length - 10);
        }

        var ex = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("shorter than the 8-byte header length", Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_RejectsDuplicateNamesAndWrongByteCounts()
    {
        var four = SafetensorsValues.EncodeFloat32([1f], SafetensorsDType.F32);
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.BuildHeader(
            [new SafetensorsTensor("x", SafetensorsDType.F32, [1], four), new SafetensorsTensor("x", SafetensorsDType.F32, [1], four)], null));
        var ex = Assert.Throws<ArgumentException>(() => SafetensorsWriter.BuildHeader([new SafetensorsTensor("y", SafetensorsDType.F32, [2], four)], null));
        Assert.Contains("'y'", ex.Message, StringComparison.Ordinal);
    }
}
