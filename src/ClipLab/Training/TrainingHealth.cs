using ClipLab.Configuration;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// Watches a run for the failures that otherwise spend the whole budget without a sign: gradients that are NaN or
/// infinite (checked before the optimizer step, so no update is applied), weights or optimizer state that are not
/// finite (checked before a checkpoint is written, so none ever holds NaN), and a collapsed model.
/// </summary>
/// <remarks>
/// Collapse criterion, for the CLIP loss: after warm-up, the image–text loss stays within
/// <see cref="CollapseTolerance"/> of ln(batch size) for <see cref="CollapseSteps"/> consecutive steps. ln(B) is exactly
/// the loss of logits that are equal across the batch, i.e. of image and text embeddings that no longer tell pairs apart;
/// a random initialisation sits well above it and a learning model goes below it, passing it in a step or two. The check
/// reads a number the step computes anyway, so it costs nothing. The SigLIP loss has no fixed chance level (it depends on
/// the learned temperature and bias), so collapse is not detected for it.
/// </remarks>
public sealed class TrainingHealth
{
    /// <summary>Consecutive steps at chance level that make a collapse.</summary>
    public const int CollapseSteps = 20;

    /// <summary>How close to ln(batch size) the loss must be to count as at chance level.</summary>
    public const double CollapseTolerance = 1e-3;

    private readonly int _warmupSteps;
    private long _firstAtChance = -1;
    private int _stepsAtChance;

    /// <summary>Watches a run with <paramref name="training"/>'s batch and warm-up, minimising image–text loss <paramref name="objective"/>.</summary>
    public TrainingHealth(TrainingConfig training, string objective)
    {
        ArgumentNullException.ThrowIfNull(training);
        _warmupSteps = training.WarmupSteps;
        ChanceLoss = objective == "clip" ? Math.Log(training.BatchSize) : null;
    }

    /// <summary>The loss of a model that cannot tell pairs apart (ln of the batch size), or null where it is not fixed (SigLIP).</summary>
    public double? ChanceLoss { get; }

    /// <summary>
    /// Records the image–text loss of 1-based <paramref name="step"/>; returns what collapsed, as the start of a sentence,
    /// once the loss has sat at chance level for <see cref="CollapseSteps"/> steps after warm-up, and null otherwise.
    /// </summary>
    public string? Observe(long step, double imageTextLoss)
    {
        if (ChanceLoss is not double chance || step <= _warmupSteps || Math.Abs(imageTextLoss - chance) > CollapseTolerance)
        {
            _stepsAtChance = 0;
            return null;
        }
        if (_stepsAtChance++ == 0) _firstAtChance = step;
        if (_stepsAtChance < CollapseSteps) return null;
        return $"training collapsed at step {step:N0}: the CLIP loss has stayed within {CollapseTolerance} of ln(batch size) = {chance:F4}, " +
               $"chance level, for the {_stepsAtChance} steps since step {FirstCollapsedStep:N0}, so the image and text embeddings no longer tell pairs apart";
    }

    /// <summary>The first step of the current run of steps at chance level (checkpoints from it on hold the collapsed model).</summary>
    public long FirstCollapsedStep => _firstAtChance;

    /// <summary>The L2 norm of all gradients together (what gradient clipping measures); NaN or infinity when any is.</summary>
    public static double GradientNorm(IEnumerable<Tensor> parameters)
    {
        using var scope = torch.NewDisposeScope();
        var norms = parameters.Select(p => p.grad).OfType<Tensor>().Select(g => g.norm()).ToArray();
        return norms.Length == 0 ? 0 : torch.stack(norms).norm().ToDouble();
    }

    /// <summary>The name of the first tensor that holds NaN or infinity, or null when all are finite.</summary>
    public static string? FirstNonFinite(IEnumerable<(string Name, Tensor Tensor)> tensors)
    {
        using var scope = torch.NewDisposeScope();
        foreach (var (name, tensor) in tensors)
            if (!torch.isfinite(tensor).all().ToBoolean()) return name;
        return null;
    }

    /// <summary>
    /// What to do after a divergence or collapse, as one sentence: lower the learning rate and continue from
    /// <paramref name="goodCheckpoint"/> (the newest checkpoint before the trouble) with <c>--resume --set</c>, naming any
    /// later checkpoints to delete first, or start a new run when there is none.
    /// </summary>
    public static string Advice(string runDirectory, TrainingConfig training, (string Folder, long Step)? goodCheckpoint,
        IReadOnlyList<string> laterCheckpoints)
    {
        ArgumentNullException.ThrowIfNull(training);
        string lower = $"{training.LearningRate / 3:G2}";
        string tuning = $"Lower training.learningRate (now {training.LearningRate:G4}); keeping training.gradClipNorm > 0 " +
                        $"(now {training.GradClipNorm:G4}) and a longer training.warmupSteps (now {training.WarmupSteps}) also help";
        if (goodCheckpoint is not { } good)
            return laterCheckpoints.Count == 0
                ? $"{tuning}. No checkpoint was written before this point: start a new run with a lower learning rate."
                : $"{tuning}. The checkpoints kept ({string.Join(", ", laterCheckpoints)}) are all from after the trouble began: " +
                  "start a new run with a lower learning rate.";
        string delete = laterCheckpoints.Count == 0 ? "" : $"delete the later {string.Join(", ", laterCheckpoints)}, then ";
        return $"{tuning}. The last good checkpoint is {good.Folder} (step {good.Step:N0}): {delete}continue from it with " +
               $"`cliplab train --resume {runDirectory} --set training.learningRate={lower}`, or start a new run.";
    }
}
