using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Dual-encoder CLIP model: an image tower and a text tower projecting into a shared space, plus the learnable
/// log temperature <see cref="LogitScale"/>. <c>forward(images, tokens)</c> returns both L2-normalised embeddings.
/// </summary>
public sealed class ClipModel : nn.Module<Tensor, Tensor, (Tensor ImageEmbeddings, Tensor TextEmbeddings)>
{
#pragma warning disable IDE1006 // field names are state-dict keys (open_clip naming)
    private readonly VisionTower visual;
    private readonly TextTransformer text;
    private readonly Parameter logit_scale;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a model; prefer <see cref="ModelRegistry.Create(ClipModelConfig)"/>.</summary>
    /// <param name="config">Model configuration (validated here).</param>
    public ClipModel(ClipModelConfig config) : base(nameof(ClipModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        visual = config.Vision.Build(config.EmbedDim);
        text = new TextTransformer(config.Text, config.EmbedDim);
        logit_scale = new Parameter(tensor((float)config.InitLogitScale));
        // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
        logit_scale.DetachFromDisposeScope();
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

    /// <summary>Encodes images [B, C, H, W] into embeddings [B, EmbedDim].</summary>
    /// <param name="images">Images, float in [-1, 1].</param>
    /// <param name="normalize">Whether to L2-normalise the embeddings.</param>
    public Tensor EncodeImage(Tensor images, bool normalize = true)
    {
        var features = visual.call(images);
        return normalize ? NormalizeAndDispose(features) : features;
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

    /// <summary>Clamps <see cref="LogitScale"/> in place to [0, MaxLogitScale] (call after each optimiser step).</summary>
    public void ClampLogitScale()
    {
        using var _ = no_grad();
        logit_scale.clamp_(0.0, Config.MaxLogitScale);
    }

    /// <summary>
    /// Every parameter with its qualified name and whether AdamW should apply weight decay: only Linear and Conv weights
    /// decay; biases, normalisation gains, embeddings (token, positional, class) and the logit scale do not.
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
