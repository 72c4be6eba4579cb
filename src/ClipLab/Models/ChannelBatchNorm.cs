using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Batch normalisation over the channel dimension of [N, C] or [N, C, H, W] inputs, with running statistics:
/// PyTorch's BatchNorm1d/2d, with the same parameter and buffer names (<c>weight</c>, <c>bias</c>,
/// <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>), so checkpoints and name maps are unchanged.
/// </summary>
/// <remarks>
/// Ours rather than TorchSharp's because TorchSharp's training-mode forward counts batches with
/// <c>num_batches_tracked.add_(1)</c>, two implicit Scalars the finalizer may free while libtorch reads them
/// (seen as "alpha must not be a floating point number" under GC pressure; see <see cref="KeptScalars"/>).
/// </remarks>
public sealed class ChannelBatchNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _momentum;

    /// <summary>Per-channel gain (initialised to 1).</summary>
    public Parameter weight;

    /// <summary>Per-channel shift (initialised to 0).</summary>
    public Parameter bias;

    /// <summary>Running mean of the channels, used in evaluation mode.</summary>
    public Tensor running_mean;

    /// <summary>Running (unbiased) variance of the channels, used in evaluation mode.</summary>
    public Tensor running_var;

    /// <summary>Training-mode forward passes so far (kept for PyTorch state-dict compatibility).</summary>
    public Tensor num_batches_tracked;

    /// <summary>Creates the layer for <paramref name="features"/> channels.</summary>
    /// <param name="features">Channels (dimension 1 of the input).</param>
    /// <param name="eps">Added to the variance for numerical stability.</param>
    /// <param name="momentum">Weight of the current batch in the running statistics.</param>
    public ChannelBatchNorm(long features, double eps = 1e-5, double momentum = 0.1) : base(nameof(ChannelBatchNorm))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(features, 1);
        Features = features;
        Eps = eps;
        _momentum = momentum;
        weight = new Parameter(ones(features));
        bias = new Parameter(zeros(features));
        running_mean = zeros(features);
        running_var = ones(features);
        num_batches_tracked = tensor(0L);
        RegisterComponents();
    }

    /// <summary>Channels normalised.</summary>
    public long Features { get; }

    /// <summary>Added to the variance for numerical stability.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override Tensor forward(Tensor input)
    {
        if (input.dim() is not (2 or 3 or 4) || input.shape[1] != Features)
            throw new ArgumentException($"BatchNorm({Features}) expects [N, {Features}, ...] input; got [{string.Join(", ", input.shape)}]", nameof(input));
        if (training)
        {
            using var _ = no_grad();
            num_batches_tracked.add_(KeptScalars.One, KeptScalars.One);
        }
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, _momentum, Eps);
    }
}
