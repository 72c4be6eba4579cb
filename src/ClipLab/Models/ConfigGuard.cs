namespace ClipLab.Models;

/// <summary>
/// Validation rules shared by the model config records, so every record reports a bad field the same way:
/// the field name, the offending value and the valid range.
/// </summary>
internal static class ConfigGuard
{
    /// <summary>Throws unless <paramref name="value"/> lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(string owner, string field, long value, long min, long max = long.MaxValue)
    {
        if (value < min || value > max)
        {
            var range = max == long.MaxValue ? $"[{min}, ∞)" : $"[{min}, {max}]";
            throw new ArgumentException($"{owner}.{field} = {value} is out of range; valid range is {range}.", field);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static void InRange(string owner, string field, double value, double min, double max = double.PositiveInfinity)
    {
        if (!double.IsFinite(value) || value < min || value > max)
        {
            var upper = double.IsPositiveInfinity(max) ? "∞)" : $"{max}]";
            throw new ArgumentException($"{owner}.{field} = {value} is out of range; valid range is [{min}, {upper}.", field);
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is a positive multiple of <paramref name="divisor"/>.</summary>
    public static void DivisibleBy(string owner, string field, long value, string divisorField, long divisor)
    {
        if (divisor <= 0 || value % divisor != 0)
        {
            throw new ArgumentException(
                $"{owner}.{field} = {value} must be a multiple of {divisorField} ({divisor}); valid values are {divisor}, {2 * divisor}, {3 * divisor}, ...",
                field);
        }
    }

    /// <summary>Checks the stack shape every transformer tower shares: width, depth, heads dividing the width, MLP ratio.</summary>
    public static void TransformerShape(string owner, int width, int depth, int heads, double mlpRatio)
    {
        InRange(owner, "Width", width, 1);
        InRange(owner, "Depth", depth, 1);
        InRange(owner, "Heads", heads, 1, width);
        DivisibleBy(owner, "Width", width, "Heads", heads);
        InRange(owner, "MlpRatio", mlpRatio, 1.0 / width);
    }

    /// <summary>Throws unless <paramref name="value"/> is one of <paramref name="choices"/> (ordinal comparison).</summary>
    public static void OneOf(string owner, string field, string? value, IReadOnlyCollection<string> choices)
    {
        if (value is null || !choices.Contains(value, StringComparer.Ordinal))
        {
            throw new ArgumentException(
                $"{owner}.{field} = '{value}' is not valid; valid choices are: {string.Join(", ", choices)}.", field);
        }
    }

    /// <summary>Throws unless <paramref name="values"/> has exactly <paramref name="count"/> entries, each at least <paramref name="min"/>.</summary>
    public static void ListOf(string owner, string field, IReadOnlyList<int>? values, int count, int min)
    {
        if (values is null || values.Count != count || values.Any(v => v < min))
        {
            var shown = values is null ? "null" : $"[{string.Join(", ", values)}]";
            throw new ArgumentException(
                $"{owner}.{field} = {shown} is not valid; it must list {count} integers, each in [{min}, ∞).", field);
        }
    }
}
