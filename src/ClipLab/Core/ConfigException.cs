namespace ClipLab.Core;

/// <summary>A configuration problem, with a message that names the key and what would be valid.</summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates an exception with a complete message.</summary>
    public ConfigException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>Creates the standard "invalid value" message for <paramref name="key"/>.</summary>
    public ConfigException(string key, object? value, string valid)
        : base($"invalid value for '{key}': {Format(value)}. Expected {valid}.") { }

    /// <summary>Runs a validation and reports its <see cref="ArgumentException"/> as a problem under <paramref name="key"/>.</summary>
    public static void Wrap(string key, Action validate)
    {
        try { validate(); }
        catch (ArgumentException ex) { throw new ConfigException($"invalid '{key}': {ex.Message}", ex); }
        catch (KeyNotFoundException ex) { throw new ConfigException($"invalid '{key}': {ex.Message}", ex); }
    }

    private static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
