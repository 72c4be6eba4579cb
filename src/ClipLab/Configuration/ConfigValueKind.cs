using System.Text.Json;

namespace ClipLab.Configuration;

/// <summary>
/// Checks that a JSON value can bind to the .NET type of the config key it is given for, so a wrong value is
/// reported with its key path and the expected kind ("'training.batchSize' must be an integer, got \"big\"")
/// instead of the serializer's "could not be converted to System.Int32". Used by <see cref="ConfigJson"/> for
/// every key of every config record, before binding.
/// </summary>
public static class ConfigValueKind
{
    /// <summary>The longest excerpt of a wrong value quoted in a message.</summary>
    private const int MaxShownLength = 40;

    /// <summary>
    /// Throws a <see cref="ConfigException"/> naming <paramref name="key"/>, what <paramref name="type"/> expects and
    /// the value given, when <paramref name="value"/> cannot bind to it. Types it does not know are accepted.
    /// </summary>
    /// <exception cref="ConfigException">The value's kind does not fit the type.</exception>
    public static void Check(JsonElement value, Type type, string key, string source)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!Fits(value, type, out string? expected))
            throw new ConfigException($"{source}: '{key}' must be {expected}, got {Show(value)}.");
    }

    /// <summary>What a value of <paramref name="type"/> looks like in JSON, in words ("an integer", "true or false", …); null for types not described.</summary>
    public static string? Describe(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var underlying = Nullable.GetUnderlyingType(type);
        if (underlying is not null) return Describe(underlying) is { } inner ? inner + " (or null)" : null;
        if (type == typeof(string)) return "a string";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte)) return "a non-negative integer";
        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(sbyte)) return "an integer";
        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal)) return "a number";
        if (type.IsEnum)
            return "one of: " + string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName));
        if (typeof(System.Collections.IEnumerable).IsAssignableFrom(type)) return "a list (JSON array)";
        if (type.IsClass && type != typeof(object)) return "an object ({ ... })";
        return null;
    }

    private static bool Fits(JsonElement value, Type type, out string? expected)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        expected = Describe(type);
        if (expected is null) return true;
        if (value.ValueKind == JsonValueKind.Null) return underlying is not null || !type.IsValueType;
        type = underlying ?? type;
        return value.ValueKind switch
        {
            JsonValueKind.String when type == typeof(string) => true,
            JsonValueKind.String when type == typeof(double) || type == typeof(float) =>
                value.GetString() is "NaN" or "Infinity" or "-Infinity", // allowed by ConfigJson's number handling
            JsonValueKind.String when type.IsEnum =>
                Enum.GetNames(type).Any(n => string.Equals(n, value.GetString(), StringComparison.OrdinalIgnoreCase)),
            JsonValueKind.True or JsonValueKind.False => type == typeof(bool),
            JsonValueKind.Number => NumberFits(value, type, ref expected),
            JsonValueKind.Array => type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type),
            JsonValueKind.Object => type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type),
            _ => false,
        };
    }

    private static bool NumberFits(JsonElement value, Type type, ref string? expected)
    {
        if (type == typeof(double)) return value.TryGetDouble(out _);
        if (type == typeof(float)) return value.TryGetSingle(out _);
        if (type == typeof(decimal)) return value.TryGetDecimal(out _);
        (bool fits, bool integral, string range) = type switch
        {
            _ when type == typeof(int) => (value.TryGetInt32(out _), IsIntegral(value), $"{int.MinValue:N0} to {int.MaxValue:N0}"),
            _ when type == typeof(long) => (value.TryGetInt64(out _), IsIntegral(value), $"{long.MinValue:N0} to {long.MaxValue:N0}"),
            _ when type == typeof(short) => (value.TryGetInt16(out _), IsIntegral(value), $"{short.MinValue:N0} to {short.MaxValue:N0}"),
            _ when type == typeof(sbyte) => (value.TryGetSByte(out _), IsIntegral(value), $"{sbyte.MinValue} to {sbyte.MaxValue}"),
            _ when type == typeof(ulong) => (value.TryGetUInt64(out _), IsIntegral(value), $"0 to {ulong.MaxValue:N0}"),
            _ when type == typeof(uint) => (value.TryGetUInt32(out _), IsIntegral(value), $"0 to {uint.MaxValue:N0}"),
            _ when type == typeof(ushort) => (value.TryGetUInt16(out _), IsIntegral(value), $"0 to {ushort.MaxValue:N0}"),
            _ when type == typeof(byte) => (value.TryGetByte(out _), IsIntegral(value), $"0 to {byte.MaxValue}"),
            _ => (false, false, ""),
        };
        // A whole number that does not fit is a range problem; say the range rather than just "an integer".
        if (!fits && integral && range.Length > 0) expected = $"{expected} from {range}";
        return fits;
    }

    // A plain run of digits: a whole number written as such (64.0 and 1e3 do not bind to integers either).
    private static bool IsIntegral(JsonElement value) => value.GetRawText().TrimStart('-') is { Length: > 0 } digits && digits.All(char.IsAsciiDigit);

    private static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        _ => Shorten(value.GetRawText()),
    };

    private static string Shorten(string text) => text.Length <= MaxShownLength ? text : text[..(MaxShownLength - 1)] + "…";
}
