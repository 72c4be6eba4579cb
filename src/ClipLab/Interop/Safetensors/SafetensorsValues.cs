using System.Buffers.Binary;

namespace ClipLab.Interop.Safetensors;

/// <summary>
/// Converts between the format's little-endian element bytes and .NET values: every floating dtype decodes to fp32
/// (F64 rounds, F16/BF16 widen exactly) and fp32 encodes to F32, F16 or BF16 with round-to-nearest-even.
/// </summary>
public static class SafetensorsValues
{
    /// <summary>Decodes floating-point elements of <paramref name="dtype"/> into fp32.</summary>
    /// <exception cref="InvalidDataException"><paramref name="dtype"/> is not a floating type.</exception>
    public static float[] DecodeFloat32(ReadOnlySpan<byte> bytes, SafetensorsDType dtype)
    {
        var size = SafetensorsDTypes.ElementSize(dtype);
        var values = new float[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            var element = bytes.Slice(i * size, size);
            values[i] = dtype switch
            {
                SafetensorsDType.F32 => BinaryPrimitives.ReadSingleLittleEndian(element),
                SafetensorsDType.F64 => (float)BinaryPrimitives.ReadDoubleLittleEndian(element),
                SafetensorsDType.F16 => (float)BinaryPrimitives.ReadHalfLittleEndian(element),
                // bfloat16 is the top half of an fp32 bit pattern, so widening is exact.
                SafetensorsDType.BF16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(element) << 16),
                _ => throw new InvalidDataException($"dtype {dtype} holds integers, not floating-point values."),
            };
        }

        return values;
    }

    /// <summary>Decodes I64 elements.</summary>
    /// <exception cref="InvalidDataException"><paramref name="dtype"/> is not <see cref="SafetensorsDType.I64"/>.</exception>
    public static long[] DecodeInt64(ReadOnlySpan<byte> bytes, SafetensorsDType dtype)
    {
        if (dtype != SafetensorsDType.I64)
        {
            throw new InvalidDataException($"dtype {dtype} holds floating-point values, not 64-bit integers.");
        }

        var values = new long[bytes.Length / sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = BinaryPrimitives.ReadInt64LittleEndian(bytes.Slice(i * sizeof(long), sizeof(long)));
        }

        return values;
    }

    /// <summary>Encodes fp32 values as <paramref name="dtype"/> (F32, F64, F16 or BF16).</summary>
    public static byte[] EncodeFloat32(ReadOnlySpan<float> values, SafetensorsDType dtype)
    {
        var size = SafetensorsDTypes.ElementSize(dtype);
        var bytes = new byte[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            var element = bytes.AsSpan(i * size, size);
            switch (dtype)
            {
                case SafetensorsDType.F32: BinaryPrimitives.WriteSingleLittleEndian(element, values[i]); break;
                case SafetensorsDType.F64: BinaryPrimitives.WriteDoubleLittleEndian(element, values[i]); break;
                case SafetensorsDType.F16: BinaryPrimitives.WriteHalfLittleEndian(element, (Half)values[i]); break;
                case SafetensorsDType.BF16: BinaryPrimitives.WriteUInt16LittleEndian(element, ToBFloat16(values[i])); break;
                default: throw new ArgumentException($"dtype {dtype} is not a floating type.", nameof(dtype));
            }
        }

        return bytes;
    }

    /// <summary>Encodes 64-bit integers as I64.</summary>
    public static byte[] EncodeInt64(ReadOnlySpan<long> values)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long), sizeof(long)), values[i]);
        }

        return bytes;
    }

    /// <summary>Rounds an fp32 value to bfloat16 bits, to nearest with ties to even (NaN stays a quiet NaN).</summary>
    public static ushort ToBFloat16(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }

        var bits = (uint)BitConverter.SingleToInt32Bits(value);
        var roundingBias = 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
