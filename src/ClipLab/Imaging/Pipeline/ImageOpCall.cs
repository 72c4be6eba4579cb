namespace ClipLab.Imaging.Pipeline;

/// <summary>One parsed op invocation, before validation: its name, positional and keyword arguments.</summary>
/// <param name="Name">Op name.</param>
/// <param name="Positional">Positional arguments, in order.</param>
/// <param name="Named">Keyword arguments.</param>
public sealed record ImageOpCall(string Name, IReadOnlyList<double> Positional, IReadOnlyDictionary<string, double> Named);
