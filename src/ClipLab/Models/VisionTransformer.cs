using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Vision Transformer image tower: conv patch embedding (kernel = stride = patch), class token, learned positional
/// embedding, an optional LayerNorm before the blocks (<see cref="VisionTransformerConfig.PreNorm"/>), pre-norm blocks, final LayerNorm, class-token or mean pooling and a bias-free projection.
/// </summary>
public sealed class VisionTransformer : VisionTower<VisionTransformerConfig>, ITokenMaskingTower
{
#pragma warning disable IDE1006 // field names are state-dict keys (open_clip naming)
    private readonly Conv2d conv1;
    private readonly Parameter class_embedding;
    private readonly Parameter positional_embedding;
    private readonly LayerNorm? ln_pre;
    private readonly ModuleList<TransformerBlock> resblocks;
    private readonly LayerNorm ln_post;
#pragma warning restore IDE1006

    private readonly int _width;
    private readonly bool _meanPool;

    /// <summary>Builds and initialises a ViT from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public VisionTransformer(VisionTransformerConfig config, int embedDim) : base(nameof(VisionTransformer), config, embedDim)
    {
        _width = config.Width;
        _meanPool = config.Pool == "mean";
        NumPatches = config.NumPatches;

        conv1 = nn.Conv2d(config.Channels, config.Width, config.PatchSize, stride: config.PatchSize, bias: false);
        class_embedding = new Parameter(empty(config.Width));
        positional_embedding = new Parameter(empty(NumPatches + 1, config.Width));
        // Null when off, so models without it keep their state-dict keys.
        ln_pre = config.PreNorm ? nn.LayerNorm(config.Width) : null;
        resblocks = new ModuleList<TransformerBlock>();
        for (var i = 0; i < config.Depth; i++)
        {
            resblocks.Add(new TransformerBlock(config.Width, config.Heads, config.MlpRatio, causal: false));
        }

        ln_post = nn.LayerNorm(config.Width);
        CreateProjection(config.Width);
        // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
        class_embedding.DetachFromDisposeScope();
        positional_embedding.DetachFromDisposeScope();
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>Number of patch tokens per image (excluding the class token).</summary>
    public int NumPatches { get; }

    /// <summary>Encodes all patches of <paramref name="images"/> [B, C, H, W] into pooled trunk features [B, Width] (before the projection).</summary>
    public override Tensor EncodeTrunk(Tensor images) => Trunk(images, null);

    /// <summary>
    /// Encodes <paramref name="images"/> [B, C, H, W] keeping only some patch tokens (FLIP-style masking).
    /// Positional embeddings are added before dropping and the class token is always kept.
    /// </summary>
    /// <param name="images">Images [B, C, H, W].</param>
    /// <param name="keepPatches">[B, K] int64 indices in [0, NumPatches) of the patch tokens to keep, or null to keep all.</param>
    /// <returns>Projected, unnormalised features [B, OutputDim].</returns>
    public Tensor Forward(Tensor images, Tensor? keepPatches)
    {
        using var trunk = Trunk(images, keepPatches);
        return Project(trunk);
    }

    /// <summary>The trunk with optional token dropping: images → pooled, normalised features [B, Width].</summary>
    private Tensor Trunk(Tensor images, Tensor? keepPatches)
    {
        var b = images.shape[0];
        CheckImages(images);

        // [B, W, gh, gw] -> [B, N, W]; the add below materialises a contiguous token tensor.
        Tensor tokens;
        using (var patches = conv1.call(images))
        using (var flat = patches.flatten(2))
        using (var seq = flat.transpose(1, 2))
        using (var patchPos = positional_embedding.narrow(0, 1, NumPatches))
        {
            tokens = seq.add(patchPos, KeptScalars.One);
        }

        if (keepPatches is not null)
        {
            using var idx = keepPatches.unsqueeze(-1);
            using var expanded = idx.expand(b, keepPatches.shape[1], _width);
            var kept = tokens.gather(1, expanded);
            tokens.Dispose();
            tokens = kept;
        }

        Tensor x;
        using (tokens)
        using (var clsPos = positional_embedding[0])
        using (var cls = class_embedding.add(clsPos, KeptScalars.One))
        using (var clsTokens = cls.expand(b, 1, _width))
        {
            x = cat([clsTokens, tokens], 1);
        }

        if (ln_pre is not null)
        {
            var normed = ln_pre.call(x);
            x.Dispose();
            x = normed;
        }

        foreach (var block in resblocks)
        {
            var next = block.call(x);
            x.Dispose();
            x = next;
        }

        using (x)
        {
            // LayerNorm is per token, so for class-token pooling normalising only the pooled token is equivalent and cheaper.
            if (_meanPool)
            {
                using var normed = ln_post.call(x);
                using var patchTokens = normed.narrow(1, 1, normed.shape[1] - 1);
                return patchTokens.mean([1]);
            }
            else
            {
                using var cls = x.select(1, 0);
                return ln_post.call(cls);
            }
        }
    }

    private void InitializeParameters()
    {
        // CLIP initialisation: class/positional embeddings and the output projection ~ N(0, width^-0.5);
        // the conv patch embedding keeps its default (deterministic under torch.manual_seed) Kaiming-uniform init.
        var scale = Math.Pow(_width, -0.5);
        using var _ = no_grad();
        nn.init.normal_(class_embedding, 0, scale);
        nn.init.normal_(positional_embedding, 0, scale);
        InitializeProjection();
        foreach (var block in resblocks)
        {
            block.InitializeParameters(resblocks.Count);
        }
    }
}
