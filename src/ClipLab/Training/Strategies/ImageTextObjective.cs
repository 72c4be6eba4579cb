using ClipLab.Configuration;
using ClipLab.Losses;
using ClipLab.Runtime.Distributed;
using ClipLab.Models;
using static TorchSharp.torch;

namespace ClipLab.Training.Strategies;

/// <summary>
/// The image–text loss every strategy contains, chosen by <c>training.loss</c>: CLIP's softmax InfoNCE
/// (<see cref="ContrastiveLoss"/>) or SigLIP's pairwise sigmoid (<see cref="SigLipLoss"/>, which uses the model's
/// logit bias).
/// </summary>
public sealed class ImageTextObjective
{
    /// <summary>
    /// Creates the objective <paramref name="loss"/> describes (<c>clip</c> or <c>siglip</c>), over the global batch of
    /// <paramref name="communicator"/>'s ranks (default: one process).
    /// </summary>
    public ImageTextObjective(LossConfig loss, ICommunicator? communicator = null)
    {
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        Communicator = communicator ?? SingleProcessCommunicator.Instance;
    }

    /// <summary>The loss's settings (<c>training.loss</c>).</summary>
    public LossConfig Loss { get; }

    /// <summary><c>clip</c> or <c>siglip</c>; also the name of the loss term in the metrics.</summary>
    public string Name => Loss.Name;

    /// <summary>The ranks whose embeddings form the contrastive batch (one process unless trained under MPI).</summary>
    public ICommunicator Communicator { get; }

    /// <summary>
    /// The loss of image embeddings <paramref name="image"/> against text embeddings <paramref name="text"/> [B, E].
    /// With <paramref name="trainTemperature"/> false the temperature (and bias) enter as constants: gradient
    /// accumulation lets only one of its passes reach them, because each pass computes the loss of the whole batch.
    /// </summary>
    /// <exception cref="InvalidOperationException">SigLIP, but the model has no logit bias.</exception>
    public Tensor Compute(ClipModel model, Tensor image, Tensor text, bool trainTemperature = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scale = trainTemperature ? model.LogitScale.alias() : model.LogitScale.detach();
        if (Loss is ClipLossConfig) return GlobalContrastiveLoss.Compute(image, text, scale, Communicator);
        var parameter = model.LogitBias
            ?? throw new InvalidOperationException("the SigLIP loss needs a model with a logit bias (ClipModelConfig.InitLogitBias); RunConfig.ResolveModel adds it for training.loss \"siglip\".");
        using var bias = trainTemperature ? parameter.alias() : parameter.detach();
        return GlobalSigLipLoss.Compute(image, text, scale, bias, Communicator);
    }
}
