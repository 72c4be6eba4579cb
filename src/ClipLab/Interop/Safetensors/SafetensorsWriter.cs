using System.Buffers.Binary;
using System.Text.Json;
using ClipLab.IO;

namespace ClipLab.Interop.Safetensors;

/// <summary>
/// Writes safetensors files: the 8-byte little-endian header length, the JSON header (<c>__metadata__</c> first, then
/// each tensor's dtype, shape and data_offsets in the order given) padded with spaces so the data buffer starts on an
/// 8-byte boundary, then the tensors' bytes back to back.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically (a partial file never replaces a good one).</summary>
    /// <exception cref="ArgumentException">Two tensors share a name, a name is reserved, or a tensor's bytes do not fit its shape.</exception>
    /// <exception cref="IOException">Writing failed (e.g. the disk is full); an existing file at <paramref name="path"/> is intact.</exception>
    public static void Write(string path, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = BuildHeader(tensors, metadata);
        AtomicFile.Write(path, stream => WriteTo(stream, header, tensors));
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        WriteTo(stream, BuildHeader(tensors, metadata), tensors);
    }

    /// <summary>The padded header bytes (without the length prefix) for <paramref name="tensors"/>.</summary>
    public static byte[] BuildHeader(IReadOnlyList<SafetensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(SafetensorsFile.MetadataKey);
                foreach (var (key, value) in metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (tensor.Name == SafetensorsFile.MetadataKey || !names.Add(tensor.Name))
                {
                    throw new ArgumentException($"tensor name '{tensor.Name}' is reserved or used twice.", nameof(tensors));
                }

                var expected = tensor.Shape.Aggregate(1L, (p, d) => checked(p * d)) * SafetensorsDTypes.ElementSize(tensor.DType);
                if (tensor.Data.Length != expected)
                {
                    throw new ArgumentException(
                        $"tensor '{tensor.Name}' ({tensor.DType}, shape {SafetensorsEntry.FormatShape(tensor.Shape)}) needs {expected} bytes, got {tensor.Data.Length}.",
                        nameof(tensors));
                }

                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", tensor.DType.ToString());
                json.WriteStartArray("shape");
                foreach (var d in tensor.Shape)
                {
                    json.WriteNumberValue(d);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + tensor.Data.Length);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += tensor.Data.Length;
            }

            json.WriteEndObject();
        }

        // Trailing spaces are the format's allowed padding; they align the data buffer (8 + N) to 8 bytes.
        var length = (int)buffer.Length;
        var padded = (length + 7) / 8 * 8;
        var header = new byte[padded];
        buffer.GetBuffer().AsSpan(0, length).CopyTo(header);
        header.AsSpan(length).Fill((byte)' ');
        return header;
    }

    private static void WriteTo(Stream stream, byte[] header, IReadOnlyList<SafetensorsTensor> tensors)
    {
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var tensor in tensors)
        {
            stream.Write(tensor.Data.Span);
        }
    }
}
