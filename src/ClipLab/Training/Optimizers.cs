using ClipLab.Configuration;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// The optimizers <c>training.optimizer</c> names, each built from its config record: <c>adamw</c> (settings
/// <c>training.beta1</c>, <c>beta2</c>, <c>epsilon</c>) and <c>adafactor</c> (settings <c>training.adafactor</c>,
/// an <see cref="AdafactorConfig"/>). Both apply <c>training.weightDecay</c> in <c>training.weightDecayConvention</c>'s unit.
/// </summary>
public static class Optimizers
{
    /// <summary>AdamW (Loshchilov &amp; Hutter), ClipLab's default.</summary>
    public const string AdamW = OptimizerNames.AdamW;

    /// <summary>big_vision's Adafactor, the paper's optimizer.</summary>
    public const string Adafactor = OptimizerNames.Adafactor;

    /// <summary>The names <c>training.optimizer</c> accepts.</summary>
    public static IReadOnlyList<string> Names => OptimizerNames.All;

    /// <summary>State tags written first by each optimizer's <see cref="IOptimizer.Save"/>, so a mismatch is named.</summary>
    internal const int AdamWStateTag = 1, AdafactorStateTag = 0x41460001;

    /// <summary>Which optimizer wrote a state starting with <paramref name="tag"/>, for error messages.</summary>
    internal static string DescribeStateTag(int tag) => tag switch
    {
        AdamWStateTag => "AdamW state (layout 1)",
        AdafactorStateTag => "Adafactor state (layout 1)",
        _ => $"an unknown optimizer state (tag {tag})",
    };

    /// <summary>
    /// The optimizer <paramref name="training"/> names over <paramref name="parameters"/>, each with its decay flag.
    /// </summary>
    /// <exception cref="ConfigException"><c>training.optimizer</c> is not one of <see cref="Names"/>.</exception>
    public static IOptimizer Create(TrainingConfig training, IEnumerable<(Parameter Parameter, bool Decay)> parameters)
    {
        ArgumentNullException.ThrowIfNull(training);
        var decay = new DecoupledWeightDecay(training.WeightDecay, training.WeightDecayConvention, training.LearningRate);
        return training.Optimizer switch
        {
            AdamW => new Training.AdamW(parameters, training.Beta1, training.Beta2, training.Epsilon, decay),
            Adafactor => new Training.Adafactor(parameters, training.Adafactor ?? new AdafactorConfig(), decay),
            _ => throw new ConfigException("training.optimizer", training.Optimizer, "one of: " + string.Join(", ", Names)),
        };
    }

    /// <summary>
    /// Reads one state tensor written by TorchSharp's <c>Tensor.Save</c> into <paramref name="target"/> wherever it
    /// lives: TorchSharp reads into CPU memory, so state on a GPU is read into a CPU tensor and copied across.
    /// </summary>
    internal static void ReadStateTensor(Tensor target, BinaryReader reader)
    {
        if (target.device_type == DeviceType.CPU)
        {
            target.Load(reader);
            return;
        }
        using var staging = torch.empty_like(target, device: torch.CPU);
        staging.Load(reader);
        target.copy_(staging);
    }
}
