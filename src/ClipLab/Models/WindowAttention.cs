using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using ClipLab.Models.Compute;

namespace ClipLab.Models;

/// <summary>
/// Multi-head self-attention inside square windows with a learned relative position bias (Swin Transformer):
/// windows [B, nW, w², C] → [B, nW, w², C]. The bias, and for shifted windows the region mask, enter
/// <see cref="nn.functional.scaled_dot_product_attention"/> as a float mask that is added to the logits.
/// </summary>
public sealed class WindowAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly Parameter relative_position_bias_table;
    private readonly Tensor relative_position_index;
    private readonly Tensor? attn_mask;
#pragma warning restore IDE1006

    private readonly long _dim;
    private readonly long _heads;
    private readonly long _windowTokens;

    /// <summary>Creates the attention of one block.</summary>
    /// <param name="dim">Token width C (a multiple of <paramref name="heads"/>).</param>
    /// <param name="heads">Number of attention heads.</param>
    /// <param name="window">Window side length w in tokens.</param>
    /// <param name="shiftMask">
    /// [nW, w², w²] additive mask of shifted windows (<see cref="SwinWindows.ShiftMask"/>), or null for regular windows.
    /// Kept as a non-persistent buffer: it is a function of the geometry, not state.
    /// </param>
    public WindowAttention(int dim, int heads, int window, Tensor? shiftMask) : base(nameof(WindowAttention))
    {
        if (heads <= 0 || dim % heads != 0)
        {
            throw new ArgumentException($"dim ({dim}) must be a positive multiple of heads ({heads}).", nameof(heads));
        }

        _dim = dim;
        _heads = heads;
        _windowTokens = (long)window * window;
        qkv = nn.Linear(dim, 3L * dim);
        proj = nn.Linear(dim, dim);
        var span = 2L * window - 1;
        relative_position_bias_table = new Parameter(zeros(span * span, heads));
        using (var index = SwinWindows.RelativePositionIndex(window))
        {
            relative_position_index = index.view(-1);
        }

        attn_mask = shiftMask;
        // Tensors made here would otherwise belong to the caller's dispose scope and die with it.
        relative_position_bias_table.DetachFromDisposeScope();
        relative_position_index.DetachFromDisposeScope();
        attn_mask?.DetachFromDisposeScope();
        // Registered before RegisterComponents (which skips names already taken) so they stay out of the state dict.
        register_buffer(nameof(relative_position_index), relative_position_index, persistent: false);
        if (attn_mask is not null)
        {
            register_buffer(nameof(attn_mask), attn_mask, persistent: false);
        }

        RegisterComponents();
    }

    /// <summary>Whether this attention masks shifted-window regions.</summary>
    public bool Shifted => attn_mask is not null;

    /// <summary>The learned bias per relative offset and head, [(2w−1)², heads].</summary>
    public Parameter RelativePositionBiasTable => relative_position_bias_table;

    /// <summary>Initialises like the original: weights and bias table ~ N(0, 0.02), zero biases.</summary>
    public void InitializeParameters()
    {
        using var _ = no_grad();
        nn.init.normal_(relative_position_bias_table, 0, 0.02);
        foreach (var linear in new[] { qkv, proj })
        {
            nn.init.normal_(linear.weight!, 0, 0.02);
            linear.bias!.zero_();
        }
    }

    /// <summary>
    /// The float mask added to the attention logits: the relative position bias [heads, w², w²], or for shifted windows
    /// bias plus region mask flattened to [nW·heads, w², w²] (window-major, matching the query layout in <see cref="forward"/>).
    /// </summary>
    public Tensor AttentionBias()
    {
        using var gathered = relative_position_bias_table.index_select(0, relative_position_index);
        using var pairs = gathered.view(_windowTokens, _windowTokens, _heads);
        using var perHead = pairs.permute(2, 0, 1);
        if (attn_mask is null)
        {
            return perHead.contiguous();
        }

        using var bias = perHead.unsqueeze(0);
        using var mask = attn_mask.unsqueeze(1);
        using var combined = bias.add(mask, KeptScalars.One);
        return combined.reshape(-1, _windowTokens, _windowTokens);
    }

    /// <summary>Attends within each window of <paramref name="windows"/> [B, nW, w², C].</summary>
    public override Tensor forward(Tensor windows)
    {
        var (b, nW, n) = (windows.shape[0], windows.shape[1], windows.shape[2]);
        var headDim = _dim / _heads;

        // [B, nW, N, 3C] -> q, k, v each [B, nW, heads, N, Dh], contiguous, so both attention layouts below are views.
        Tensor q, k, v;
        using (var fused = qkv.call(windows))
        using (var split = fused.view(b, nW, n, 3, _heads, headDim))
        using (var ordered = split.permute(3, 0, 1, 4, 2, 5))
        using (var packed = ordered.contiguous())
        {
            q = packed[0];
            k = packed[1];
            v = packed[2];
        }

        // Regular windows: [B·nW, heads, N, Dh] with the bias [heads, N, N] broadcast over every window.
        // Shifted windows: the mask differs per window, so windows join the head axis, [B, nW·heads, N, Dh], and the
        // [nW·heads, N, N] mask broadcasts over the batch instead (SDPA takes 4-D inputs).
        long[] layout = attn_mask is null ? [b * nW, _heads, n, headDim] : [b, nW * _heads, n, headDim];
        Tensor attended;
        using (q)
        using (k)
        using (v)
        using (var bias = AttentionBias())
        using (var q4 = q.view(layout))
        using (var k4 = k.view(layout))
        using (var v4 = v.view(layout))
        {
            MacCounter.RecordAttention(q4, k4, v4);
            attended = nn.functional.scaled_dot_product_attention(q4, k4, v4, attn_mask: bias, is_casual: false);
        }

        using (attended)
        using (var perWindow = attended.view(b, nW, _heads, n, headDim))
        using (var tokensFirst = perWindow.transpose(2, 3))
        using (var merged = tokensFirst.reshape(b, nW, n, _dim))
        {
            return proj.call(merged);
        }
    }
}
