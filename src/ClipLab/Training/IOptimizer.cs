using TorchSharp.Modules;

namespace ClipLab.Training;

/// <summary>
/// An optimizer the trainer drives: one update per step at the scheduled learning rate, with its state saved in and
/// restored from checkpoints in an explicit, versioned layout. Built by name with <see cref="Optimizers.Create"/>.
/// </summary>
public interface IOptimizer : IDisposable
{
    /// <summary>The optimised parameters, in order.</summary>
    IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Number of updates applied so far.</summary>
    long StepCount { get; }

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> using the current gradients.</summary>
    void Step(double learningRate);

    /// <summary>Clears the gradients of all parameters.</summary>
    void ZeroGrad();

    /// <summary>Whether every state tensor is finite (no NaN, no infinity).</summary>
    bool StateIsFinite();

    /// <summary>Writes the state (a version tag first, then step count and tensors).</summary>
    void Save(BinaryWriter writer);

    /// <summary>Restores state written by <see cref="Save"/> of the same optimizer over the same parameters.</summary>
    /// <exception cref="InvalidDataException">The state belongs to another optimizer or another model.</exception>
    void Load(BinaryReader reader);
}
