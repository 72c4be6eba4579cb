namespace ClipLab.Configuration;

/// <summary>
/// The values <c>training.optimizer</c> and <c>training.weightDecayConvention</c> accept. Kept with the config records
/// so that validating a config needs nothing from Training, which holds the implementations.
/// </summary>
public static class OptimizerNames
{
    /// <summary>AdamW (Loshchilov &amp; Hutter), ClipLab's default.</summary>
    public const string AdamW = "adamw";

    /// <summary>big_vision's Adafactor, the paper's optimizer.</summary>
    public const string Adafactor = "adafactor";

    /// <summary>The names <c>training.optimizer</c> accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [AdamW, Adafactor];

    /// <summary>PyTorch's weight-decay convention: decay scaled by the learning rate.</summary>
    public const string PyTorchDecay = "pytorch";

    /// <summary>big_vision's weight-decay convention: decay scaled by the schedule only (the paper's unit).</summary>
    public const string BigVisionDecay = "big_vision";

    /// <summary>The conventions <c>training.weightDecayConvention</c> accepts.</summary>
    public static IReadOnlyList<string> DecayConventions { get; } = [PyTorchDecay, BigVisionDecay];
}
