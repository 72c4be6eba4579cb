namespace ClipLab.Imaging.Pipeline;

/// <summary>Validated arguments of one op, by parameter name (omitted optional ones are absent).</summary>
public sealed class ImageOpArguments
{
    private readonly Dictionary<string, double> _values;

    internal ImageOpArguments(Dictionary<string, double> values) => _values = values;

    /// <summary>The value of <paramref name="name"/>.</summary>
    public double this[string name] => _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"argument '{name}' was not given");

    /// <summary>The value as an integer.</summary>
    public int Int(string name) => (int)this[name];

    /// <summary>True when <paramref name="name"/> has a value.</summary>
    public bool Has(string name) => _values.ContainsKey(name);
}
