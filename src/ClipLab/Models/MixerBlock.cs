using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// MLP-Mixer block on tokens [B, N, C]: token mixing <c>x + MLPᵀ(LN(x))</c> (an MLP across the N patches, shared by all
/// channels) then channel mixing <c>x + MLP(LN(x))</c> (an MLP across the C channels, shared by all patches).
/// </summary>
public sealed class MixerBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly LayerNorm norm1;
    private readonly MixerMlp mlp_tokens;
    private readonly LayerNorm norm2;
    private readonly MixerMlp mlp_channels;
#pragma warning restore IDE1006

    /// <summary>Creates a block.</summary>
    /// <param name="tokens">Number of patches N (the token MLP's input size).</param>
    /// <param name="width">Channels C.</param>
    /// <param name="tokenMlpDim">Hidden size of the token-mixing MLP.</param>
    /// <param name="channelMlpDim">Hidden size of the channel-mixing MLP.</param>
    public MixerBlock(int tokens, int width, int tokenMlpDim, int channelMlpDim) : base(nameof(MixerBlock))
    {
        norm1 = nn.LayerNorm(width, eps: 1e-6);
        mlp_tokens = new MixerMlp(tokens, tokenMlpDim);
        norm2 = nn.LayerNorm(width, eps: 1e-6);
        mlp_channels = new MixerMlp(width, channelMlpDim);
        RegisterComponents();
    }

    /// <summary>Initialises both MLPs (norms keep unit gain and zero bias).</summary>
    public void InitializeParameters()
    {
        mlp_tokens.InitializeParameters();
        mlp_channels.InitializeParameters();
    }

    /// <summary>Applies the block to <paramref name="x"/> [B, N, C].</summary>
    public override Tensor forward(Tensor x)
    {
        Tensor h;
        using (var normed = norm1.call(x))
        using (var perChannel = normed.transpose(1, 2)) // [B, C, N]: the token MLP acts on the patch dimension
        using (var mixed = mlp_tokens.call(perChannel))
        using (var back = mixed.transpose(1, 2))
        {
            h = x.add(back, KeptScalars.One);
        }

        using (h)
        using (var normed = norm2.call(h))
        using (var mixed = mlp_channels.call(normed))
        {
            return h.add(mixed, KeptScalars.One);
        }
    }
}
