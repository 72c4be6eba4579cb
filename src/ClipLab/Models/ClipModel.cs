using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Dual-encoder CLIP model: an image tower and a text tower projecting into a shared space, plus the learnable
/// log temperature <see cref="LogitScale"/>. <c>forward(images, tokens)</c> returns both L2-normalised embeddings.
/// Two parts exist only when the config asks for them, so CLIP models and their checkpoints stay as they were:
/// the SigLIP logit bias (<see cref="ClipModelConfig.InitLogitBias"/>) and SLIP's SimCLR head
/// (<see cref="ClipModelConfig.SimClrHead"/>, on the image trunk's features).
/// </summary>
public sealed class ClipModel : nn.Module<Tensor, Tensor, (Tensor ImageEmbeddings, Tensor TextEmbeddings)>
{
#pragma warning disable IDE1006 // field names are state-dict keys (open_clip naming)
    private readonly VisionTower visual;
    private readonly TextTransformer text;
    private readonly Parameter logit_scale;
    private readonly Parameter? logit_bias;
    private readonly SimClrHead? image_mlp;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a model; prefer <see cref="ModelRegistry.Create(ClipModelConfig)"/>.</summary>
    /// <param name="config">Model configuration (validated here: its own fields, then each tower's config by the tower).</param>
    public ClipModel(ClipModelConfig config) : base(nameof(ClipModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.ValidateOwnFields();
        Config = config;
        visual = config.Vision.Build(config.EmbedDim);
        text = new TextTransformer(config.Text, config.EmbedDim);
        logit_scale = new Parameter(tensor((float)config.InitLogitScale));
        // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
        logit_scale.DetachFromDisposeScope();
        if (config.InitLogitBias is double bias)
        {
            logit_bias = new Parameter(tensor((float)bias));
            logit_bias.DetachFromDisposeScope();
        }

        // SLIP's head reads the vision trunk's features (vision width, before the CLIP projection), as SLIP's code does, so
        // the SimCLR loss trains the trunk but never the projection.
        if (config.SimClrHead is not null)
        {
            image_mlp = new SimClrHead(config.SimClrHead, visual.TrunkDim);
        }

        // Null fields (no bias, no head) are skipped, so they add no state-dict keys.
        RegisterComponents();
    }

    /// <summary>Parameters outside the two towers: the scalar log temperature.</summary>
    public const long TemperatureParameters = 1;

    /// <summary>The configuration this model was built from.</summary>
    public ClipModelConfig Config { get; }

    /// <summary>The image tower.</summary>
    public VisionTower Visual => visual;

    /// <summary>The text tower.</summary>
    public TextTransformer Text => text;

    /// <summary>Scalar parameter holding the log of the logit scale (inverse temperature).</summary>
    public Parameter LogitScale => logit_scale;

    /// <summary>Scalar logit bias of the SigLIP loss, or null when the model was built without one.</summary>
    public Parameter? LogitBias => logit_bias;

    /// <summary>SLIP's SimCLR projection head, or null when the model was built without one.</summary>
    public SimClrHead? SimClrHead => image_mlp;

    /// <summary>Encodes images [B, C, H, W] into embeddings [B, EmbedDim].</summary>
    /// <param name="images">Images, float in [-1, 1].</param>
    /// <param name="normalize">Whether to L2-normalise the embeddings.</param>
    public Tensor EncodeImage(Tensor images, bool normalize = true)
    {
        var features = visual.call(images);
        return normalize ? NormalizeAndDispose(features) : features;
    }

    /// <summary>
    /// Encodes images keeping only the patch tokens in <paramref name="keepPatches"/> (FLIP masking); null keeps all.
    /// </summary>
    /// <param name="images">Images, float in [-1, 1].</param>
    /// <param name="keepPatches">[B, K] int64 indices of the patch tokens to keep, or null.</param>
    /// <param name="normalize">Whether to L2-normalise the embeddings.</param>
    /// <exception cref="NotSupportedException">Patches are given but the image tower cannot mask tokens.</exception>
    public Tensor EncodeImage(Tensor images, Tensor? keepPatches, bool normalize = true)
    {
        if (keepPatches is null) return EncodeImage(images, normalize);
        if (visual is not ITokenMaskingTower masking)
        {
            throw new NotSupportedException(
                $"patch masking needs an image tower with a token sequence (one that declares {nameof(ITokenMaskingTower)}, as the ViT); " +
                $"this model's tower is a {visual.GetType().Name}.");
        }

        var features = masking.Forward(images, keepPatches);
        return normalize ? NormalizeAndDispose(features) : features;
    }

    /// <summary>
    /// SLIP's SimCLR branch: one augmented view [B, C, H, W] through the shared image trunk (not the CLIP projection) and
    /// the SimCLR head, giving [B, head output] (not normalised; the NT-Xent loss normalises).
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no SimCLR head.</exception>
    public Tensor EncodeSimClrView(Tensor view)
    {
        if (image_mlp is null)
        {
            throw new InvalidOperationException("this model has no SimCLR head; build it with ClipModelConfig.SimClrHead (training.strategy \"slip\" does).");
        }

        using var features = visual.EncodeTrunk(view);
        return image_mlp.call(features);
    }

    /// <summary>Encodes tokens [B, L] (int64) into embeddings [B, EmbedDim].</summary>
    /// <param name="tokens">Token ids.</param>
    /// <param name="normalize">Whether to L2-normalise the embeddings.</param>
    public Tensor EncodeText(Tensor tokens, bool normalize = true)
    {
        var features = text.call(tokens);
        return normalize ? NormalizeAndDispose(features) : features;
    }

    /// <summary>Returns the L2-normalised image and text embeddings, each [B, EmbedDim].</summary>
    public override (Tensor ImageEmbeddings, Tensor TextEmbeddings) forward(Tensor images, Tensor tokens)
        => (EncodeImage(images), EncodeText(tokens));

    /// <summary>
    /// Switches activation checkpointing on or off in every <see cref="TransformerBlock"/> of both towers (ViT and text
    /// transformer blocks; towers built from other layers are unaffected).
    /// </summary>
    /// <returns>The number of blocks switched.</returns>
    public int SetActivationCheckpointing(bool enabled)
    {
        int count = 0;
        foreach (var block in modules().OfType<TransformerBlock>())
        {
            block.ActivationCheckpointing = enabled;
            count++;
        }

        return count;
    }

    /// <summary>Clamps <see cref="LogitScale"/> in place to [0, MaxLogitScale] (call after each optimiser step).</summary>
    public void ClampLogitScale()
    {
        using var _ = no_grad();
        // Scalars held until after the call (see KeptScalars).
        using Scalar min = 0.0.ToScalar(), max = Config.MaxLogitScale.ToScalar();
        logit_scale.clamp_(min, max);
    }

    /// <summary>
    /// Every parameter with its qualified name and whether AdamW should apply weight decay: only Linear and Conv weights
    /// decay; biases, normalisation gains, embeddings (token, positional, class), the logit scale and bias do not.
    /// </summary>
    public IEnumerable<(string Name, Parameter Parameter, bool Decay)> ParameterGroups() => Classify(this, string.Empty);

    private static IEnumerable<(string Name, Parameter Parameter, bool Decay)> Classify(nn.Module module, string prefix)
    {
        // Decay is decided by the owning module type rather than by name patterns, so new towers classify correctly.
        var decaysWeight = module is Linear or Conv1d or Conv2d or Conv3d;
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
        {
            yield return (prefix + name, parameter, decaysWeight && name == "weight");
        }

        foreach (var (name, child) in module.named_children())
        {
            foreach (var entry in Classify(child, prefix + name + "."))
            {
                yield return entry;
            }
        }
    }

    private static Tensor NormalizeAndDispose(Tensor features)
    {
        using (features)
        {
            return nn.functional.normalize(features, p: 2.0, dim: -1);
        }
    }
}
