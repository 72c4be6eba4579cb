using System.CommandLine;
using ClipLab.Configuration;
using ClipLab.Runtime;

namespace ClipLab.Cli.Commands;

/// <summary><c>--device</c> and <c>--precision</c>, shared by the commands that compute (train, demo, eval, bench train).</summary>
internal sealed class RuntimeOptions
{
    public Option<string?> Device { get; } = new("--device")
    {
        Description = "Where to compute: cpu, cuda, cuda:N or auto (CUDA when usable, else cpu). Overrides runtime.device; default cpu.",
    };

    public Option<string?> Precision { get; } = new("--precision")
    {
        Description = "Compute precision: fp32 or bf16 (mixed: bf16 matmuls, convolutions and attention; fp32 weights, norms and loss). Overrides training.precision.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Device);
        command.Options.Add(Precision);
    }

    /// <summary><paramref name="config"/> with the flags that were given applied.</summary>
    public RunConfig ApplyTo(RunConfig config, ParseResult parse)
    {
        string? device = parse.GetValue(Device);
        string? precision = parse.GetValue(Precision);
        if (device is not null) config = config with { Runtime = config.Runtime with { Device = device } };
        if (precision is not null) config = config with { Training = config.Training with { Precision = precision } };
        return config;
    }

    /// <summary>The device to open: the flag, else <paramref name="fallback"/>; checked for spelling.</summary>
    public string DeviceOr(ParseResult parse, string fallback)
    {
        string device = parse.GetValue(Device) ?? fallback;
        if (!ComputeDevice.IsValidSpec(device)) throw new ConfigException("--device", device, ComputeDevice.ValidSpecs);
        return device;
    }

    /// <summary>The precision: the flag, else <paramref name="fallback"/>; checked for spelling.</summary>
    public string PrecisionOr(ParseResult parse, string fallback)
    {
        string precision = parse.GetValue(Precision) ?? fallback;
        ClipLab.Runtime.Precision.Validate("--precision", precision);
        return precision;
    }
}
