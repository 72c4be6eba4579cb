using TorchSharp;
using TorchSharp.Modules;
using ClipLab.Models.Compute;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// CLIP's attention pooling (Radford et al. 2021), the head of <see cref="ModifiedResNet"/>: the feature map [B, C, h, w]
/// becomes h·w tokens, their mean is prepended, a learned positional embedding is added to all h·w + 1 tokens, and one
/// multi-head attention with the mean token as the only query reads them all; <c>c_proj</c> maps the result to the embedding.
/// </summary>
/// <remarks>
/// Only the mean token's output is used, so only it is projected to a query (as CLIP's original implementation does);
/// open_clip's current code projects every token and keeps the first row, which gives the same result at more cost.
/// </remarks>
public sealed class AttentionPool2d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (open_clip naming)
    private readonly Parameter positional_embedding;
    private readonly Linear k_proj;
    private readonly Linear q_proj;
    private readonly Linear v_proj;
    private readonly Linear c_proj;
#pragma warning restore IDE1006

    private readonly long _channels;
    private readonly long _heads;
    private readonly long _tokens;

    /// <summary>Creates the pool.</summary>
    /// <param name="gridSide">Side of the square feature map (image size / 32 in CLIP).</param>
    /// <param name="channels">Channels of the feature map, also the attention width.</param>
    /// <param name="heads">Attention heads; must divide <paramref name="channels"/>.</param>
    /// <param name="outputDim">Output (joint embedding) dimension.</param>
    public AttentionPool2d(int gridSide, int channels, int heads, int outputDim) : base(nameof(AttentionPool2d))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gridSide, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputDim, 1);
        if (heads <= 0 || channels % heads != 0)
        {
            throw new ArgumentException($"channels ({channels}) must be a positive multiple of heads ({heads}).", nameof(heads));
        }

        _channels = channels;
        _heads = heads;
        _tokens = (long)gridSide * gridSide + 1;
        positional_embedding = new Parameter(empty(_tokens, channels));
        k_proj = nn.Linear(channels, channels);
        q_proj = nn.Linear(channels, channels);
        v_proj = nn.Linear(channels, channels);
        c_proj = nn.Linear(channels, outputDim);
        // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
        positional_embedding.DetachFromDisposeScope();
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>Parameters of a pool over a <paramref name="gridSide"/>² map of <paramref name="channels"/> projecting to <paramref name="outputDim"/>.</summary>
    public static long ParameterCount(long gridSide, long channels, long outputDim)
        => (gridSide * gridSide + 1) * channels + 3 * (channels * channels + channels) + channels * outputDim + outputDim;

    /// <summary>
    /// MACs per image: key and value projections of every token, the query projection of the mean token, the two attention
    /// products of one query (tokens × channels each, summed over heads) and the output projection.
    /// </summary>
    public static double MacCount(long gridSide, long channels, long outputDim)
    {
        double tokens = gridSide * gridSide + 1;
        double c = channels;
        return 2 * tokens * c * c + c * c + 2 * tokens * c + c * outputDim;
    }

    /// <summary>Pools <paramref name="features"/> [B, C, h, w] into [B, outputDim]: <see cref="Pool"/>, then <see cref="Project"/>.</summary>
    public override Tensor forward(Tensor features)
    {
        using var pooled = Pool(features);
        return Project(pooled);
    }

    /// <summary>Output projection <c>c_proj</c>: attended features [B, C] → [B, outputDim].</summary>
    public Tensor Project(Tensor pooled) => c_proj.call(pooled);

    /// <summary>The attention read-out before the output projection: <paramref name="features"/> [B, C, h, w] → [B, C].</summary>
    public Tensor Pool(Tensor features)
    {
        var b = features.shape[0];
        if (features.dim() != 4 || features.shape[1] != _channels || features.shape[2] * features.shape[3] + 1 != _tokens)
        {
            throw new ArgumentException(
                $"Expected features [B, {_channels}, h, w] with h·w = {_tokens - 1}; got [{string.Join(", ", features.shape)}].",
                nameof(features));
        }

        var headDim = _channels / _heads;
        Tensor tokens;
        using (var flat = features.flatten(2))
        using (var grid = flat.transpose(1, 2))
        using (var mean = grid.mean([1], keepdim: true))
        using (var all = cat([mean, grid], 1))
        {
            tokens = all.add(positional_embedding, KeptScalars.One);
        }

        Tensor pooled;
        using (tokens)
        using (var meanToken = tokens.narrow(1, 0, 1))
        using (var q = q_proj.call(meanToken))
        using (var k = k_proj.call(tokens))
        using (var v = v_proj.call(tokens))
        using (var qh = q.view(b, 1, _heads, headDim).transpose(1, 2))
        using (var kh = k.view(b, _tokens, _heads, headDim).transpose(1, 2))
        using (var vh = v.view(b, _tokens, _heads, headDim).transpose(1, 2))
        {
            MacCounter.RecordAttention(qh, kh, vh);
            pooled = nn.functional.scaled_dot_product_attention(qh, kh, vh, is_casual: false);
        }

        // [B, H, 1, Dh] -> [B, C]
        using (pooled)
        {
            return pooled.reshape(b, _channels);
        }
    }

    private void InitializeParameters()
    {
        // CLIP: positional embedding and all four projection weights ~ N(0, channels^-0.5); biases keep the Linear default.
        var std = Math.Pow(_channels, -0.5);
        using var _ = no_grad();
        nn.init.normal_(positional_embedding, 0, std);
        foreach (var linear in new[] { q_proj, k_proj, v_proj, c_proj })
        {
            nn.init.normal_(linear.weight!, 0, std);
        }
    }
}
