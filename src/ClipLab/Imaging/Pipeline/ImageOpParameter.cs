using System.Globalization;

namespace ClipLab.Imaging.Pipeline;

/// <summary>One argument of a pipeline op: its name, valid range, whether it must be an integer, and its default.</summary>
/// <param name="Name">Keyword name (also its position in the signature).</param>
/// <param name="Min">Smallest valid value.</param>
/// <param name="Max">Largest valid value.</param>
/// <param name="IsInteger">True when only whole numbers are valid.</param>
/// <param name="Default">Value used when the argument is omitted; null when it is required (or <paramref name="Optional"/>).</param>
/// <param name="Optional">True when the argument may be omitted and has no default (the op then behaves differently).</param>
public sealed record ImageOpParameter(string Name, double Min, double Max, bool IsInteger = false, double? Default = null, bool Optional = false)
{
    /// <summary>True when the argument must be given.</summary>
    public bool Required => Default is null && !Optional;

    /// <summary>"size: int in [1, 4096]", "p: number in [0, 1] = 0.5".</summary>
    public override string ToString()
    {
        string kind = IsInteger ? "int" : "number";
        string range = $"[{Format(Min)}, {Format(Max)}]";
        string suffix = Default is double d ? $" = {Format(d)}" : Optional ? " (optional)" : "";
        return $"{Name}: {kind} in {range}{suffix}";
    }

    internal static string Format(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
