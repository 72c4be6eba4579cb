namespace ClipLab.Runtime;

/// <summary>
/// The numeric precision of a run's compute (<c>training.precision</c>, <c>--precision</c>): <c>fp32</c> everywhere,
/// or <c>bf16</c> mixed precision (<see cref="BFloat16Compute"/>): matrix products, convolutions and attention in
/// bfloat16, the rest, the master weights and the optimizer state in fp32.
/// </summary>
public static class Precision
{
    /// <summary>Single precision everywhere (the default).</summary>
    public const string Fp32 = "fp32";

    /// <summary>bfloat16 mixed precision.</summary>
    public const string Bf16 = "bf16";

    /// <summary>The valid names.</summary>
    public static readonly IReadOnlyList<string> Names = [Fp32, Bf16];

    /// <summary>Throws a <see cref="ConfigException"/> naming <paramref name="key"/> unless <paramref name="value"/> is a valid name.</summary>
    public static void Validate(string key, string value)
    {
        if (!Names.Contains(value)) throw new ConfigException(key, value, "one of: " + string.Join(", ", Names));
    }
}
