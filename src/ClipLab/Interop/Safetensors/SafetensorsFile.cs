using System.Buffers.Binary;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace ClipLab.Interop.Safetensors;

/// <summary>
/// An open safetensors file: its parsed, checked header and random access to each tensor's bytes.
/// Layout (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of UTF-8 JSON starting with
/// <c>{</c> (possibly padded with trailing spaces), then the data buffer. The header maps each tensor name to
/// <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> relative to the buffer, plus an optional
/// <c>__metadata__</c> string-to-string map. Tensors must cover the buffer exactly, without holes or overlaps.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The header key holding free-form string metadata.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Largest header accepted (the format's own limit), so a corrupt length cannot allocate gigabytes.</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly SafeFileHandle _handle;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsFile(string path, SafeFileHandle handle, long dataStart, IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _handle = handle;
        _dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    /// <summary>The <c>__metadata__</c> map (empty when the file has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens <paramref name="path"/> and checks its header against the format's rules.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file; the message says what is wrong and where.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"safetensors file not found: {full}", full);
        }

        var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            var length = RandomAccess.GetLength(handle);
            Span<byte> prefix = stackalloc byte[8];
            if (length < 8 || RandomAccess.Read(handle, prefix, 0) != 8)
            {
                throw Invalid(full, $"it is {length} bytes long, shorter than the 8-byte header length");
            }

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > MaxHeaderBytes || (long)headerLength > length - 8)
            {
                throw Invalid(full, $"its header length {headerLength} exceeds the file ({length} bytes) or the {MaxHeaderBytes:N0}-byte limit; the file is truncated or not safetensors");
            }

            var header = new byte[headerLength];
            if (RandomAccess.Read(handle, header, 8) != header.Length)
            {
                throw Invalid(full, "its header could not be read in full");
            }

            var dataStart = 8 + (long)headerLength;
            var (entries, metadata) = ParseHeader(full, header, length - dataStart);
            return new SafetensorsFile(full, handle, dataStart, entries, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No such tensor; the message names it.</exception>
    public SafetensorsEntry this[string name] => _byName.TryGetValue(name, out var entry)
        ? entry
        : throw new KeyNotFoundException($"{Path} has no tensor '{name}'.");

    /// <summary>The raw little-endian bytes of a tensor.</summary>
    public byte[] ReadBytes(SafetensorsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var bytes = new byte[entry.ByteLength];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(_handle, bytes.AsSpan(read), _dataStart + entry.Begin + read);
            if (n == 0)
            {
                throw Invalid(Path, $"tensor '{entry.Name}' ends past the end of the file (truncated)");
            }

            read += n;
        }

        return bytes;
    }

    /// <summary>A floating-point tensor's values converted to fp32.</summary>
    /// <exception cref="InvalidDataException">The tensor holds integers; the message names it.</exception>
    public float[] ReadFloat32(SafetensorsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (!SafetensorsDTypes.IsFloatingPoint(entry.DType))
        {
            throw new InvalidDataException($"tensor '{entry.Name}' in {Path} is {entry.DType}, but a floating-point tensor is expected there.");
        }

        return SafetensorsValues.DecodeFloat32(ReadBytes(entry), entry.DType);
    }

    /// <summary>An I64 tensor's values.</summary>
    /// <exception cref="InvalidDataException">The tensor is not I64; the message names it.</exception>
    public long[] ReadInt64(SafetensorsEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.DType != SafetensorsDType.I64)
        {
            throw new InvalidDataException($"tensor '{entry.Name}' in {Path} is {entry.DType}, but an I64 tensor is expected there.");
        }

        return SafetensorsValues.DecodeInt64(ReadBytes(entry), entry.DType);
    }

    /// <inheritdoc/>
    public void Dispose() => _handle.Dispose();

    private static (IReadOnlyList<SafetensorsEntry>, IReadOnlyDictionary<string, string>) ParseHeader(string path, byte[] header, long bufferLength)
    {
        if (header.Length == 0 || header[0] != (byte)'{')
        {
            throw Invalid(path, "its header does not start with '{'");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
        }
        catch (JsonException ex)
        {
            throw Invalid(path, $"its header is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "its header is not a JSON object");
            }

            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw Invalid(path, $"its header names '{property.Name}' twice");
                }

                if (property.Name == MetadataKey)
                {
                    ReadMetadata(path, property.Value, metadata);
                }
                else
                {
                    entries.Add(ReadEntry(path, property.Name, property.Value));
                }
            }

            CheckCoverage(path, entries, bufferLength);
            return (entries, metadata);
        }
    }

    private static void ReadMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, $"its {MetadataKey} is not an object of strings");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(path, $"{MetadataKey}.{item.Name} is not a string (the format allows only string values)");
            }

            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object
            || !value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !value.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !value.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw Invalid(path, $"tensor '{name}' lacks a string dtype, a shape array or a two-number data_offsets");
        }

        SafetensorsDType dtype;
        try
        {
            dtype = SafetensorsDTypes.Parse(dtypeElement.GetString()!, name);
        }
        catch (InvalidDataException ex)
        {
            throw Invalid(path, ex.Message.TrimEnd('.'));
        }

        var shape = new List<long>();
        foreach (var d in shapeElement.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out var dim) || dim < 0)
            {
                throw Invalid(path, $"tensor '{name}' has a shape entry that is not a non-negative integer");
            }

            shape.Add(dim);
        }

        var offsets = offsetsElement.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out var v) && v >= 0 ? v : -1).ToArray();
        if (offsets[0] < 0 || offsets[1] < offsets[0])
        {
            throw Invalid(path, $"tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}], which is not a valid byte range");
        }

        var entry = new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
        long expected;
        try
        {
            expected = checked(entry.ElementCount * SafetensorsDTypes.ElementSize(dtype));
        }
        catch (OverflowException)
        {
            throw Invalid(path, $"tensor '{name}' has shape {entry.ShapeText}, too large to address");
        }

        if (entry.ByteLength != expected)
        {
            throw Invalid(path, $"tensor '{name}' ({dtype}, shape {entry.ShapeText}) needs {expected} bytes but data_offsets span {entry.ByteLength}");
        }

        return entry;
    }

    private static void CheckCoverage(string path, List<SafetensorsEntry> entries, long bufferLength)
    {
        // The buffer must be indexed entirely, without holes or overlaps (the format forbids polyglot files).
        long next = 0;
        foreach (var entry in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (entry.Begin != next)
            {
                throw Invalid(path, entry.Begin > next
                    ? $"its data buffer has a hole at bytes [{next}, {entry.Begin}) before tensor '{entry.Name}'"
                    : $"tensor '{entry.Name}' overlaps the tensor before it at byte {entry.Begin}");
            }

            next = entry.End;
        }

        if (next != bufferLength)
        {
            throw Invalid(path, next > bufferLength
                ? $"its tensors need {next} data bytes but the file holds {bufferLength} (the file is truncated)"
                : $"its data buffer has {bufferLength - next} bytes after the last tensor that no tensor covers");
        }
    }

    private static InvalidDataException Invalid(string path, string problem)
        => new($"{path} is not a valid safetensors file: {problem}.");
}
