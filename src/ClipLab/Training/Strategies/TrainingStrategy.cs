using ClipLab.Configuration;
using ClipLab.Models;
using ClipLab.Runtime.Distributed;

namespace ClipLab.Training.Strategies;

/// <summary>
/// One of the paper's training strategies (§7): what a step feeds the model, what it computes, which loss it minimises
/// and what that costs. Each strategy builds its inputs from the batch (<see cref="Prepare"/>), encodes them
/// (<see cref="Encode"/>) and computes its loss from the encoded whole batch (<see cref="Loss"/>); keeping encoding and
/// loss apart is what lets <see cref="GradientAccumulation"/> encode the batch in slices and still take the loss over
/// the whole contrastive batch.
/// </summary>
public abstract class TrainingStrategy
{
    /// <summary>Sets the strategy's settings, the image–text objective and the compute cost.</summary>
    protected TrainingStrategy(StrategyConfig config, ImageTextObjective objective, StrategyCost cost)
    {
        Config = config ?? throw new ArgumentNullException(nameof(config));
        Objective = objective ?? throw new ArgumentNullException(nameof(objective));
        Cost = cost ?? throw new ArgumentNullException(nameof(cost));
    }

    /// <summary>The strategy's settings (<c>training.strategy</c>).</summary>
    public StrategyConfig Config { get; }

    /// <summary>The strategy's name, that of its <see cref="Config"/>.</summary>
    public string Name => Config.Name;

    /// <summary>The image–text loss (<c>training.loss</c>).</summary>
    public ImageTextObjective Objective { get; }

    /// <summary>Training compute per sample.</summary>
    public StrategyCost Cost { get; }

    /// <summary>Extra augmented views the data must deliver with every image, or null for none.</summary>
    public virtual ImageViewRequest? ExtraViews => null;

    /// <summary>
    /// Fixes the step's inputs from <paramref name="batch"/>, including any randomness of the strategy itself, so encoding
    /// them twice gives the same outputs. <paramref name="finalPhase"/> says the step is in the run's final phase
    /// (<see cref="StrategyCost.FinalPhaseSamples"/>).
    /// </summary>
    public virtual StepInputs Prepare(TrainingBatch batch, bool finalPhase)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return new StepInputs(batch.Images, batch.Tokens, batch.ExtraViews, KeepPatches: null);
    }

    /// <summary>Encodes (a slice of) the step's inputs; the outputs belong to the caller's dispose scope.</summary>
    public virtual EncodedBatch Encode(ClipModel model, StepInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputs);
        return new EncodedBatch(model.EncodeImage(inputs.Images, inputs.KeepPatches), model.EncodeText(inputs.Tokens), []);
    }

    /// <summary>
    /// The loss of a whole encoded batch. With <paramref name="trainTemperature"/> false the temperature and bias are
    /// constants (see <see cref="ImageTextObjective.Compute"/>).
    /// </summary>
    public virtual StepLoss Loss(ClipModel model, EncodedBatch encoded, bool trainTemperature = true)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        var loss = Objective.Compute(model, encoded.Image, encoded.Text, trainTemperature);
        return new StepLoss(loss, []);
    }

    /// <summary>
    /// The strategy a run config asks for, on the run's resolved model; its losses span the global batch of
    /// <paramref name="communicator"/>'s ranks (default: one process).
    /// </summary>
    /// <exception cref="ConfigException">The strategy does not fit the model.</exception>
    public static TrainingStrategy Create(TrainingConfig training, ClipModelConfig model, ICommunicator? communicator = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(model);
        var objective = new ImageTextObjective(training.Loss, communicator);
        return training.Strategy switch
        {
            ClipStrategyConfig clip => new ClipStrategy(clip, objective, model),
            ClipAugStrategyConfig clipAug => new ClipAugStrategy(clipAug, objective, model),
            SlipStrategyConfig slip => new SlipStrategy(objective, model, slip),
            FlipStrategyConfig flip => new FlipStrategy(objective, model, flip),
            _ => throw new ArgumentException($"no training strategy implements {training.Strategy.GetType().Name}", nameof(training)),
        };
    }
}
