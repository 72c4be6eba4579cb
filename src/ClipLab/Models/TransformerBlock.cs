using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Pre-norm transformer block: <c>x + Attn(LN(x))</c> then <c>x + MLP(LN(x))</c>, with a fused QKV projection,
/// <see cref="nn.functional.scaled_dot_product_attention"/> and a GELU MLP. Input and output are [B, N, Width].
/// </summary>
public sealed class TransformerBlock : nn.Module<Tensor, Tensor>
{
    // Field names form the state-dict keys (open_clip naming), hence snake_case.
#pragma warning disable IDE1006
    private readonly LayerNorm ln_1;
    private readonly Linear in_proj;
    private readonly Linear out_proj;
    private readonly LayerNorm ln_2;
    private readonly Linear c_fc;
    private readonly Linear c_proj;
#pragma warning restore IDE1006

    private readonly long _width;
    private readonly long _heads;
    private readonly bool _causal;

    /// <summary>Creates a block.</summary>
    /// <param name="width">Residual stream width.</param>
    /// <param name="heads">Number of attention heads (must divide <paramref name="width"/>).</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of <paramref name="width"/>.</param>
    /// <param name="causal">Whether a position may only attend to itself and earlier positions (text tower).</param>
    public TransformerBlock(int width, int heads, double mlpRatio, bool causal) : base(nameof(TransformerBlock))
    {
        if (heads <= 0 || width % heads != 0)
        {
            throw new ArgumentException($"width ({width}) must be a positive multiple of heads ({heads}).", nameof(heads));
        }

        _width = width;
        _heads = heads;
        _causal = causal;
        var hidden = (long)Math.Round(width * mlpRatio);
        ln_1 = nn.LayerNorm(width);
        in_proj = nn.Linear(width, 3L * width);
        out_proj = nn.Linear(width, width);
        ln_2 = nn.LayerNorm(width);
        c_fc = nn.Linear(width, hidden);
        c_proj = nn.Linear(hidden, width);
        RegisterComponents();
    }

    /// <summary>Whether attention is causal.</summary>
    public bool Causal => _causal;

    /// <summary>
    /// Whether training recomputes this block's activations in the backward pass instead of keeping them
    /// (activation checkpointing, see <see cref="CheckpointedBlockFunction"/>). Gradients are unchanged.
    /// </summary>
    public bool ActivationCheckpointing { get; set; }

    /// <summary>
    /// Re-initialises weights like open_clip: attention std width^-0.5, output projections
    /// std width^-0.5·(2·depth)^-0.5 (keeps the residual stream variance bounded in deep stacks), MLP input std (2·width)^-0.5,
    /// zero biases, unit LayerNorm gains.
    /// </summary>
    /// <param name="depth">Number of blocks in the stack this block belongs to.</param>
    public void InitializeParameters(int depth)
    {
        var attnStd = Math.Pow(_width, -0.5);
        var projStd = attnStd * Math.Pow(2.0 * depth, -0.5);
        var fcStd = Math.Pow(2.0 * _width, -0.5);
        using var _ = no_grad();
        nn.init.normal_(in_proj.weight!, 0, attnStd);
        nn.init.normal_(out_proj.weight!, 0, projStd);
        nn.init.normal_(c_fc.weight!, 0, fcStd);
        nn.init.normal_(c_proj.weight!, 0, projStd);
        foreach (var bias in new[] { in_proj.bias!, out_proj.bias!, c_fc.bias!, c_proj.bias! })
        {
            bias.zero_();
        }
    }

    /// <summary>Applies the block to <paramref name="x"/> of shape [B, N, Width].</summary>
    public override Tensor forward(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        // Checkpointing only pays when a graph is being recorded; evaluation and no-grad passes run the block directly.
        return ActivationCheckpointing && torch.is_grad_enabled() && x.requires_grad
            ? CheckpointedBlockFunction.Apply(this, x)
            : ForwardWithoutCheckpoint(x);
    }

    /// <summary>Applies the block to <paramref name="x"/> [B, N, Width] directly, whatever <see cref="ActivationCheckpointing"/> says.</summary>
    public Tensor ForwardWithoutCheckpoint(Tensor x)
    {
        var b = x.shape[0];
        var n = x.shape[1];
        var headDim = _width / _heads;

        // Intermediates are disposed eagerly (autograd keeps its own references), which lowers peak memory in eval.
        // [B, N, 3W] -> [3, B, H, N, Dh] as a strided view; SDPA accepts the strides, so no copy is made here.
        Tensor attn;
        using (var normed = ln_1.call(x))
        using (var fused = in_proj.call(normed))
        using (var qkv = fused.view(b, n, 3, _heads, headDim).permute(2, 0, 3, 1, 4))
        {
            var parts = qkv.unbind(0);
            MacCounter.RecordAttention(parts[0], parts[1], parts[2]);
            attn = nn.functional.scaled_dot_product_attention(parts[0], parts[1], parts[2], is_casual: _causal);
            foreach (var p in parts)
            {
                p.Dispose();
            }
        }

        // [B, H, N, Dh] -> [B, N, W]: one unavoidable copy (libtorch returns a [B, H, N, Dh]-contiguous output), as in torch MHA.
        Tensor h;
        using (attn)
        using (var transposed = attn.transpose(1, 2))
        using (var merged = transposed.reshape(b, n, _width))
        using (var projected = out_proj.call(merged))
        {
            h = x.add(projected, KeptScalars.One); // not `x + projected`: see KeptScalars
        }

        using var normed2 = ln_2.call(h);
        using var hidden = c_fc.call(normed2);
        using var activated = nn.functional.gelu(hidden);
        using var mlpOut = c_proj.call(activated);
        using (h)
        {
            return h.add(mlpOut, KeptScalars.One);
        }
    }
}
