using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ClipLab.Models;

namespace ClipLab.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) with decoupled weight decay applied only to the parameters marked for
/// decay. Written here rather than taken from TorchSharp so its state has an explicit, versioned layout in
/// our checkpoints and the decay mask is part of the optimizer, not of parameter-group bookkeeping.
/// </summary>
public sealed class AdamW : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly bool[] _decay;
    private readonly Tensor[] _firstMoment;
    private readonly Tensor[] _secondMoment;

    /// <summary>
    /// Creates the optimizer over <paramref name="parameters"/>, each with its decay flag, with weight decay in PyTorch's
    /// convention (multiplied by the learning rate).
    /// </summary>
    public AdamW(IEnumerable<(Parameter Parameter, bool Decay)> parameters, double beta1, double beta2, double epsilon, double weightDecay)
        : this(parameters, beta1, beta2, epsilon, DecoupledWeightDecay.ScaledByLearningRate(weightDecay))
    {
    }

    /// <summary>Creates the optimizer over <paramref name="parameters"/>, each with its decay flag, with <paramref name="decay"/>.</summary>
    public AdamW(IEnumerable<(Parameter Parameter, bool Decay)> parameters, double beta1, double beta2, double epsilon, DecoupledWeightDecay decay)
    {
        ArgumentNullException.ThrowIfNull(decay);
        var list = parameters.ToList();
        _parameters = list.Select(p => p.Parameter).ToArray();
        _decay = list.Select(p => p.Decay).ToArray();
        _firstMoment = _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoment = _parameters.Select(p => torch.zeros_like(p).DetachFromDisposeScope()).ToArray();
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Decay = decay;
    }

    /// <summary>Exponential decay of the first moment.</summary>
    public double Beta1 { get; }

    /// <summary>Exponential decay of the second moment.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>Decoupled weight decay and its convention.</summary>
    public DecoupledWeightDecay Decay { get; }

    /// <summary>The weight decay rate (in <see cref="Decay"/>'s convention).</summary>
    public double WeightDecay => Decay.Rate;

    /// <summary>Number of updates applied so far (drives bias correction).</summary>
    public long StepCount { get; private set; }

    /// <summary>The optimised parameters, in order.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Applies one update with learning rate <paramref name="learningRate"/> using the current gradients.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2 = 1 - Math.Pow(Beta2, StepCount);
        double stepSize = learningRate / correction1;
        double sqrtCorrection2 = Math.Sqrt(correction2);
        using var noGrad = torch.no_grad();
        // Explicit Scalars disposed after the loop, not implicit ones the finalizer may free mid-call (see Models.KeptScalars).
        using var scalars = new StepScalars(1 - Decay.ShrinkAt(learningRate), Beta1, 1 - Beta1, Beta2, 1 - Beta2, sqrtCorrection2, Epsilon, -stepSize);
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            using var scope = torch.NewDisposeScope();
            var p = _parameters[i];
            if (_decay[i] && WeightDecay > 0) p.mul_(scalars.Decay);
            _firstMoment[i].mul_(scalars.Beta1).add_(grad, alpha: scalars.OneMinusBeta1);
            _secondMoment[i].mul_(scalars.Beta2).addcmul_(grad, grad, value: scalars.OneMinusBeta2);
            var denominator = _secondMoment[i].sqrt().div_(scalars.SqrtCorrection2).add_(scalars.Epsilon, KeptScalars.One); // explicit alpha: add_(Scalar) would make an implicit one
            p.addcdiv_(_firstMoment[i], denominator, value: scalars.NegativeStepSize);
        }
    }

    /// <summary>Clears the gradients of all parameters.</summary>
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            grad.zero_();
        }
    }

    /// <summary>Whether both moments of every parameter are finite (no NaN, no infinity).</summary>
    public bool StateIsFinite()
    {
        using var scope = torch.NewDisposeScope();
        return _firstMoment.Concat(_secondMoment).All(t => torch.isfinite(t).all().ToBoolean());
    }

    /// <summary>Writes step count and both moments.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(StateVersion);
        writer.Write(_parameters.Length);
        writer.Write(StepCount);
        for (int i = 0; i < _parameters.Length; i++)
        {
            _firstMoment[i].Save(writer);
            _secondMoment[i].Save(writer);
        }
    }

    /// <summary>Restores state written by <see cref="Save"/>; the parameter list must match.</summary>
    /// <exception cref="InvalidDataException">The state belongs to a different model.</exception>
    public void Load(BinaryReader reader)
    {
        int version = reader.ReadInt32();
        if (version != StateVersion)
            throw new InvalidDataException($"the optimizer state is {Optimizers.DescribeStateTag(version)}, not AdamW state (layout {StateVersion}): training.optimizer must be the one the checkpoint was trained with");
        int count = reader.ReadInt32();
        if (count != _parameters.Length)
            throw new InvalidDataException($"optimizer state has {count} parameters but the model has {_parameters.Length}: the checkpoint belongs to a different model");
        StepCount = reader.ReadInt64();
        using var noGrad = torch.no_grad();
        for (int i = 0; i < count; i++)
        {
            Optimizers.ReadStateTensor(_firstMoment[i], reader);
            Optimizers.ReadStateTensor(_secondMoment[i], reader);
        }
    }

    private const int StateVersion = Optimizers.AdamWStateTag;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in _firstMoment) t.Dispose();
        foreach (var t in _secondMoment) t.Dispose();
    }

    private sealed class StepScalars(double decay, double beta1, double oneMinusBeta1, double beta2, double oneMinusBeta2,
        double sqrtCorrection2, double epsilon, double negativeStepSize) : IDisposable
    {
        public Scalar Decay { get; } = decay.ToScalar();
        public Scalar Beta1 { get; } = beta1.ToScalar();
        public Scalar OneMinusBeta1 { get; } = oneMinusBeta1.ToScalar();
        public Scalar Beta2 { get; } = beta2.ToScalar();
        public Scalar OneMinusBeta2 { get; } = oneMinusBeta2.ToScalar();
        public Scalar SqrtCorrection2 { get; } = sqrtCorrection2.ToScalar();
        public Scalar Epsilon { get; } = epsilon.ToScalar();
        public Scalar NegativeStepSize { get; } = negativeStepSize.ToScalar();

        public void Dispose()
        {
            foreach (var s in new[] { Decay, Beta1, OneMinusBeta1, Beta2, OneMinusBeta2, SqrtCorrection2, Epsilon, NegativeStepSize }) s.Dispose();
        }
    }
}
