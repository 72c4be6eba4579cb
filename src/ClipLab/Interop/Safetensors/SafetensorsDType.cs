namespace ClipLab.Interop.Safetensors;

/// <summary>
/// Element types ClipLab reads and writes in safetensors files; the names are the format's own dtype strings.
/// Floating types convert to fp32 on load; <see cref="I64"/> carries integer buffers (BatchNorm step counters).
/// </summary>
public enum SafetensorsDType
{
    /// <summary>IEEE 754 double precision.</summary>
    F64,

    /// <summary>IEEE 754 single precision.</summary>
    F32,

    /// <summary>IEEE 754 half precision.</summary>
    F16,

    /// <summary>bfloat16: the upper 16 bits of a single-precision value.</summary>
    BF16,

    /// <summary>Signed 64-bit integer.</summary>
    I64,
}

/// <summary>Sizes, names and parsing of <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypes
{
    /// <summary>The dtype strings ClipLab understands, for messages.</summary>
    public static string ValidNames => string.Join(", ", Enum.GetNames<SafetensorsDType>());

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F64 or SafetensorsDType.I64 => 8,
        SafetensorsDType.F32 => 4,
        SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, $"unknown dtype; valid: {ValidNames}"),
    };

    /// <summary>Whether values of this dtype load as fp32.</summary>
    public static bool IsFloatingPoint(SafetensorsDType dtype) => dtype != SafetensorsDType.I64;

    /// <summary>Parses a header dtype string (case-sensitive, as the format spells it).</summary>
    /// <exception cref="InvalidDataException">The dtype is not one ClipLab reads; the message names <paramref name="tensor"/>.</exception>
    public static SafetensorsDType Parse(string name, string tensor)
    {
        if (Enum.TryParse<SafetensorsDType>(name, ignoreCase: false, out var dtype) && Enum.IsDefined(dtype) && name == dtype.ToString())
        {
            return dtype;
        }

        throw new InvalidDataException($"tensor '{tensor}' has dtype '{name}', which ClipLab does not read; valid dtypes: {ValidNames}.");
    }

    /// <summary>Parses a user-facing dtype choice (case-insensitive) for writing: F32, F16 or BF16.</summary>
    /// <exception cref="ArgumentException">Not one of the floating types ClipLab writes.</exception>
    public static SafetensorsDType ParseWritable(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Enum.TryParse<SafetensorsDType>(name.Trim(), ignoreCase: true, out var dtype)
            && dtype is SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16)
        {
            return dtype;
        }

        throw new ArgumentException($"dtype '{name}' is not one ClipLab writes; valid: f32, f16, bf16.", nameof(name));
    }
}
