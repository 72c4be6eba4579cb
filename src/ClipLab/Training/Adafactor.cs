using ClipLab.Configuration;
using ClipLab.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// Adafactor (Shazeer &amp; Stern 2018) in big_vision's variant (<c>big_vision.optax.scale_by_adafactor</c>, used by LiT
/// and the paper). Per step t (counted from 1), with g the gradient and ε <see cref="AdafactorConfig.Epsilon"/>:
/// <list type="number">
/// <item>β2(t) = min(1 − t^−decayRate, beta2Cap), so the first step sees β2 = 0;</item>
/// <item>a parameter with two dimensions of at least <see cref="AdafactorConfig.MinDimSizeToFactor"/> keeps, over its two
/// largest dimensions, the running means R (over the largest) and C (over the second largest) of g² + ε, and normalises
/// g by √(R ⊗ C / mean R); any other parameter keeps the full running mean V of g² + ε and normalises by √V
/// (optax <c>scale_by_factored_rms</c>);</item>
/// <item>momentum m ← β1·m + (1 − β1)·update, without bias correction, stored in bf16 or fp32 (optax <c>ema</c>);</item>
/// <item>p ← p·(1 − shrink) − lr·m, the decay in the configured <see cref="DecoupledWeightDecay"/> convention.</item>
/// </list>
/// No update clipping (big_vision's default) and no parameter-scale learning rates: the learning rate is absolute.
/// </summary>
public sealed class Adafactor : IOptimizer
{
    private readonly Parameter[] _parameters;
    private readonly bool[] _decay;
    // Per parameter: (largest, second-largest) dimensions when factored, else null.
    private readonly (int Largest, int Second)?[] _factoredDims;
    private readonly Tensor?[] _rowMeans;
    private readonly Tensor?[] _columnMeans;
    private readonly Tensor?[] _fullMeans;
    private readonly Tensor?[] _momentum;

    /// <summary>Creates the optimizer over <paramref name="parameters"/>, each with its decay flag.</summary>
    public Adafactor(IEnumerable<(Parameter Parameter, bool Decay)> parameters, AdafactorConfig settings, DecoupledWeightDecay decay)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(decay);
        settings.Validate();
        Settings = settings;
        Decay = decay;
        var list = parameters.ToList();
        _parameters = list.Select(p => p.Parameter).ToArray();
        _decay = list.Select(p => p.Decay).ToArray();
        int n = _parameters.Length;
        _factoredDims = new (int, int)?[n];
        _rowMeans = new Tensor?[n];
        _columnMeans = new Tensor?[n];
        _fullMeans = new Tensor?[n];
        _momentum = new Tensor?[n];
        var momentumType = settings.MomentumDtype == "bf16" ? ScalarType.BFloat16 : (ScalarType?)null;
        for (int i = 0; i < n; i++)
        {
            var p = _parameters[i];
            long[] shape = p.shape;
            _factoredDims[i] = FactoredDims(shape, settings.MinDimSizeToFactor);
            if (_factoredDims[i] is var (largest, second))
            {
                _rowMeans[i] = torch.zeros(Without(shape, largest), dtype: p.dtype, device: p.device).DetachFromDisposeScope();
                _columnMeans[i] = torch.zeros(Without(shape, second), dtype: p.dtype, device: p.device).DetachFromDisposeScope();
            }
            else
            {
                _fullMeans[i] = torch.zeros_like(p).DetachFromDisposeScope();
            }
            if (settings.Momentum > 0)
                _momentum[i] = torch.zeros(shape, dtype: momentumType ?? p.dtype, device: p.device).DetachFromDisposeScope();
        }
    }

    /// <summary>The Adafactor settings.</summary>
    public AdafactorConfig Settings { get; }

    /// <summary>Decoupled weight decay and its convention.</summary>
    public DecoupledWeightDecay Decay { get; }

    /// <inheritdoc />
    public long StepCount { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>Whether parameter <paramref name="index"/> keeps factored (row and column) second moments.</summary>
    public bool IsFactored(int index) => _factoredDims[index] is not null;

    /// <summary>β2 of the 1-based step <paramref name="step"/>: min(1 − step^−decayRate, beta2Cap).</summary>
    public double Beta2At(long step) => Math.Min(Settings.Beta2Cap, 1 - Math.Pow(step, -Settings.DecayRate));

    /// <summary>
    /// The two largest dimensions of <paramref name="shape"/> (ties go to the later dimension as the larger, as a stable
    /// sort orders them), or null when the shape has fewer than two dimensions or the second largest is below
    /// <paramref name="minDimSize"/>.
    /// </summary>
    public static (int Largest, int Second)? FactoredDims(IReadOnlyList<long> shape, int minDimSize)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Count < 2) return null;
        var order = Enumerable.Range(0, shape.Count).OrderBy(d => shape[d]).ToArray(); // OrderBy is stable
        int largest = order[^1], second = order[^2];
        return shape[second] < minDimSize ? null : (largest, second);
    }

    /// <inheritdoc />
    public void Step(double learningRate)
    {
        StepCount++;
        double beta2 = Beta2At(StepCount);
        double beta1 = Settings.Momentum;
        using var noGrad = torch.no_grad();
        // Explicit Scalars disposed after the loop, not implicit ones the finalizer may free mid-call (see Models.KeptScalars).
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var epsilon = Settings.Epsilon.ToScalar();
        using var beta1Scalar = beta1.ToScalar();
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var keep = (1 - Decay.ShrinkAt(learningRate)).ToScalar();
        using var negativeLearningRate = (-learningRate).ToScalar();
        bool decays = Decay.Rate > 0;
        for (int i = 0; i < _parameters.Length; i++)
        {
            var grad = _parameters[i].grad;
            if (grad is null) continue;
            using var scope = torch.NewDisposeScope();
            var p = _parameters[i];
            var squared = grad.square().add_(epsilon, KeptScalars.One); // explicit alpha: add_(Scalar) would make an implicit one
            Tensor update;
            if (_factoredDims[i] is var (largest, second))
            {
                var rows = _rowMeans[i]!;
                var columns = _columnMeans[i]!;
                rows.mul_(beta2Scalar).add_(squared.mean([largest]), alpha: oneMinusBeta2);
                columns.mul_(beta2Scalar).add_(squared.mean([second]), alpha: oneMinusBeta2);
                // The rows' mean over the second-largest dimension (its index shifts when the largest came before it).
                int secondInRows = second > largest ? second - 1 : second;
                var rowFactor = rows.div(rows.mean([secondInRows], keepdim: true)).rsqrt_();
                var columnFactor = columns.rsqrt();
                update = grad.mul(rowFactor.unsqueeze(largest)).mul_(columnFactor.unsqueeze(second));
            }
            else
            {
                var full = _fullMeans[i]!;
                full.mul_(beta2Scalar).add_(squared, alpha: oneMinusBeta2);
                update = grad.mul(full.rsqrt());
            }
            if (_momentum[i] is { } momentum)
            {
                if (momentum.dtype == update.dtype)
                {
                    momentum.mul_(beta1Scalar).add_(update, alpha: oneMinusBeta1);
                    update = momentum;
                }
                else
                {
                    // As optax's ema with a bf16 accumulator: β1·m is formed in the stored type, the sum in full
                    // precision drives this step, and only the stored copy is rounded.
                    var decayed = momentum.mul(beta1Scalar);
                    update = update.mul(oneMinusBeta1).add_(decayed.to(update.dtype), KeptScalars.One);
                    momentum.copy_(update);
                }
            }
            if (_decay[i] && decays) p.mul_(keep);
            p.add_(update, alpha: negativeLearningRate);
        }
    }

    /// <inheritdoc />
    public void ZeroGrad()
    {
        foreach (var p in _parameters)
        {
            var grad = p.grad;
            if (grad is null) continue;
            grad.zero_();
        }
    }

    /// <inheritdoc />
    public bool StateIsFinite()
    {
        using var scope = torch.NewDisposeScope();
        return StateTensors().All(t => torch.isfinite(t).all().ToBoolean());
    }

    private IEnumerable<Tensor> StateTensors() =>
        _rowMeans.Concat(_columnMeans).Concat(_fullMeans).Concat(_momentum).Where(t => t is not null).Select(t => t!);

    /// <summary>
    /// Writes the state: the layout tag, the parameter count, the step count, then per parameter a byte saying whether it
    /// is factored and one whether it has momentum, followed by R and C (factored) or V, and the momentum.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(Optimizers.AdafactorStateTag);
        writer.Write(_parameters.Length);
        writer.Write(StepCount);
        for (int i = 0; i < _parameters.Length; i++)
        {
            writer.Write(IsFactored(i));
            writer.Write(_momentum[i] is not null);
            if (IsFactored(i))
            {
                _rowMeans[i]!.Save(writer);
                _columnMeans[i]!.Save(writer);
            }
            else
            {
                _fullMeans[i]!.Save(writer);
            }
            _momentum[i]?.Save(writer);
        }
    }

    /// <inheritdoc />
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        int tag = reader.ReadInt32();
        if (tag != Optimizers.AdafactorStateTag)
            throw new InvalidDataException($"the optimizer state is {Optimizers.DescribeStateTag(tag)}, not Adafactor state: training.optimizer must be the one the checkpoint was trained with");
        int count = reader.ReadInt32();
        if (count != _parameters.Length)
            throw new InvalidDataException($"optimizer state has {count} parameters but the model has {_parameters.Length}: the checkpoint belongs to a different model");
        long stepCount = reader.ReadInt64();
        using var noGrad = torch.no_grad();
        for (int i = 0; i < count; i++)
        {
            bool factored = reader.ReadBoolean(), hasMomentum = reader.ReadBoolean();
            if (factored != IsFactored(i) || hasMomentum != (_momentum[i] is not null))
                throw new InvalidDataException($"Adafactor state of parameter {i} is {(factored ? "factored" : "unfactored")} {(hasMomentum ? "with" : "without")} momentum, " +
                    "but these settings make it otherwise: training.adafactor must be the one the checkpoint was trained with");
            if (factored)
            {
                Optimizers.ReadStateTensor(_rowMeans[i]!, reader);
                Optimizers.ReadStateTensor(_columnMeans[i]!, reader);
            }
            else
            {
                Optimizers.ReadStateTensor(_fullMeans[i]!, reader);
            }
            if (hasMomentum) Optimizers.ReadStateTensor(_momentum[i]!, reader);
        }
        StepCount = stepCount;
    }

    private static long[] Without(long[] shape, int dimension) => shape.Where((_, d) => d != dimension).ToArray();

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var t in StateTensors()) t.Dispose();
    }
}
