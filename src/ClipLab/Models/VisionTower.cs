using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Base class of image encoders: images [B, C, H, W] (float, in [-1, 1]) → features [B, <see cref="OutputDim"/>],
/// projected into the joint embedding space but not L2-normalised. The forward pass is always two steps:
/// <see cref="EncodeTrunk"/> (the family's trunk and pooling, giving [B, <see cref="TrunkDim"/>]) and
/// <see cref="Project"/> (the CLIP projection), so heads that belong on the trunk's features (SLIP's SimCLR head) can
/// read them from any family. Families derive from <see cref="VisionTower{TConfig}"/>, whose constructor is the one
/// place a tower config is checked (null, <see cref="VisionTowerConfig.Validate"/>, output width).
/// </summary>
public abstract class VisionTower : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // the field name is the state-dict key every linear head has used ("proj")
    private Linear? proj;
#pragma warning restore IDE1006

    private protected VisionTower(string name, VisionTowerConfig config, int embedDim) : base(name)
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(embedDim, 1);
        TowerConfig = config;
        OutputDim = embedDim;
        TrunkDim = config.TrunkWidth;
    }

    /// <summary>
    /// Width of the pooled trunk features <see cref="EncodeTrunk"/> returns, before the projection (SLIP's
    /// <c>vision_width</c>; <see cref="VisionTowerConfig.TrunkWidth"/>).
    /// </summary>
    public int TrunkDim { get; }

    /// <summary>Dimension of the projected output features (the joint embedding width the tower was built for).</summary>
    public int OutputDim { get; }

    /// <summary>The configuration this tower was built from, as its base type (families expose it typed as <c>Config</c>).</summary>
    public VisionTowerConfig TowerConfig { get; }

    /// <summary>
    /// Creates the bias-free linear head <c>proj</c> from <paramref name="features"/> pooled trunk channels to
    /// <see cref="OutputDim"/>. Call it where the head was always created (after the trunk), so the random stream that
    /// initialises the trunk is consumed in the same order; the family's <c>RegisterComponents</c> call registers it after the family's own fields.
    /// </summary>
    /// <param name="features">Channels of the pooled trunk feature; must equal <see cref="TrunkDim"/>.</param>
    protected void CreateProjection(int features)
    {
        if (features != TrunkDim)
        {
            throw new InvalidOperationException(
                $"{GetType().Name} creates its projection on {features} features, but its config's TrunkWidth says {TrunkDim}; make them agree.");
        }

        proj = nn.Linear(features, OutputDim, hasBias: false);
    }

    /// <summary>Initialises the head as CLIP does: weights ~ N(0, features^-0.5).</summary>
    protected void InitializeProjection()
    {
        var weight = Projection.weight!;
        using var _ = no_grad();
        nn.init.normal_(weight, 0, Math.Pow(weight.shape[1], -0.5));
    }

    /// <summary>
    /// The trunk and its pooling: images [B, C, H, W] → features [B, <see cref="TrunkDim"/>], before the projection into
    /// the joint embedding space.
    /// </summary>
    /// <param name="images">Images, float in [-1, 1].</param>
    public abstract Tensor EncodeTrunk(Tensor images);

    /// <summary>
    /// The CLIP projection: trunk features [B, <see cref="TrunkDim"/>] → [B, <see cref="OutputDim"/>]. The linear head
    /// made by <see cref="CreateProjection"/> unless a family overrides it (CLIP's ResNet: the attention pool's output projection).
    /// </summary>
    /// <param name="trunkFeatures">Features from <see cref="EncodeTrunk"/>.</param>
    public virtual Tensor Project(Tensor trunkFeatures) => Projection.call(trunkFeatures);

    /// <summary>Encodes images [B, C, H, W] into projected features [B, <see cref="OutputDim"/>]: the trunk, then the projection.</summary>
    public sealed override Tensor forward(Tensor images)
    {
        using var trunk = EncodeTrunk(images);
        return Project(trunk);
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the expected and actual shape unless <paramref name="images"/> is
    /// [B, Channels, ImageSize, ImageSize] of the tower's config: every tower checks its input the same way.
    /// </summary>
    protected void CheckImages(Tensor images)
    {
        ArgumentNullException.ThrowIfNull(images);
        int channels = TowerConfig.Channels, size = TowerConfig.ImageSize;
        if (images.dim() != 4 || images.shape[1] != channels || images.shape[2] != size || images.shape[3] != size)
        {
            throw new ArgumentException(
                $"Expected images [B, {channels}, {size}, {size}]; got [{string.Join(", ", images.shape)}].", nameof(images));
        }
    }

    private Linear Projection => proj ?? throw new InvalidOperationException($"{GetType().Name} has no linear head; call CreateProjection in its constructor.");
}

/// <summary>
/// Base class of a tower family built from <typeparamref name="TConfig"/>: the constructor validates the config once and
/// fixes <see cref="VisionTower.OutputDim"/>; the family builds its trunk and (usually) a linear head with
/// <see cref="VisionTower.CreateProjection"/>.
/// </summary>
/// <typeparam name="TConfig">The family's config record.</typeparam>
public abstract class VisionTower<TConfig> : VisionTower
    where TConfig : VisionTowerConfig
{
    /// <summary>Checks <paramref name="config"/> (null, validation) and <paramref name="embedDim"/> (at least 1).</summary>
    /// <param name="name">Module name.</param>
    /// <param name="config">Tower configuration (validated here, and only here, on the way from a model config to a tower).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    protected VisionTower(string name, TConfig config, int embedDim) : base(name, config, embedDim)
    {
        Config = config;
    }

    /// <summary>The configuration this tower was built from.</summary>
    public TConfig Config { get; }
}
