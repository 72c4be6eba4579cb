using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// CLIP text tower: token embedding, learned positional embedding, causal pre-norm blocks, final LayerNorm,
/// pooling at the end-of-text position and a bias-free projection. Tokens [B, L] (int64, L ≤ ContextLength) →
/// features [B, OutputDim], not normalised.
/// </summary>
public sealed class TextTransformer : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (open_clip naming)
    private readonly Embedding token_embedding;
    private readonly Parameter positional_embedding;
    private readonly ModuleList<TransformerBlock> resblocks;
    private readonly LayerNorm ln_final;
    private readonly Linear text_projection;
#pragma warning restore IDE1006

    /// <summary>Builds and initialises a text tower from <paramref name="config"/>.</summary>
    /// <param name="config">Tower configuration (validated here).</param>
    /// <param name="embedDim">Output (joint embedding) dimension.</param>
    public TextTransformer(TextTransformerConfig config, int embedDim) : base(nameof(TextTransformer))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(embedDim, 1);

        Config = config;
        OutputDim = embedDim;
        token_embedding = nn.Embedding(config.VocabSize, config.Width);
        positional_embedding = new Parameter(empty(config.ContextLength, config.Width));
        resblocks = new ModuleList<TransformerBlock>();
        for (var i = 0; i < config.Depth; i++)
        {
            resblocks.Add(new TransformerBlock(config.Width, config.Heads, config.MlpRatio, causal: true));
        }

        ln_final = nn.LayerNorm(config.Width);
        text_projection = nn.Linear(config.Width, embedDim, hasBias: false);
        // Parameters made here would otherwise belong to the caller's dispose scope and die with it.
        positional_embedding.DetachFromDisposeScope();
        RegisterComponents();
        InitializeParameters();
    }

    /// <summary>The configuration this tower was built from.</summary>
    public TextTransformerConfig Config { get; }

    /// <summary>Dimension of the projected output features.</summary>
    public int OutputDim { get; }

    /// <summary>Encodes <paramref name="tokens"/> [B, L] (int64) into features [B, OutputDim].</summary>
    public override Tensor forward(Tensor tokens)
    {
        var b = tokens.shape[0];
        var length = tokens.shape[1];
        if (length > Config.ContextLength)
        {
            throw new ArgumentException(
                $"Token sequence length {length} exceeds ContextLength {Config.ContextLength}.", nameof(tokens));
        }

        Tensor x;
        using (var embedded = token_embedding.call(tokens))
        using (var pos = positional_embedding.narrow(0, 0, length))
        {
            x = embedded.add(pos, KeptScalars.One);
        }

        foreach (var block in resblocks)
        {
            var next = block.call(x);
            x.Dispose();
            x = next;
        }

        using (x)
        using (var eotIndex = EndOfTextIndex(tokens))
        using (var gatherIndex = eotIndex.view(b, 1, 1).expand(b, 1, x.shape[2]))
        using (var gathered = x.gather(1, gatherIndex))
        using (var pooled = gathered.squeeze(1))
        // LayerNorm is per token, so normalising only the pooled token equals normalising all and then pooling.
        using (var normed = ln_final.call(pooled))
        {
            return text_projection.call(normed);
        }
    }

    /// <summary>
    /// Index [B] (int64) of the first end-of-text token of each row, or the last position for rows without one.
    /// </summary>
    /// <param name="tokens">Tokens [B, L].</param>
    public Tensor EndOfTextIndex(Tensor tokens)
    {
        var length = tokens.shape[1];
        // Scalars held until after each call (see KeptScalars).
        using Scalar endOfText = ((long)Config.EndOfTextId).ToScalar(), lastIndex = (length - 1).ToScalar();
        using var isEot = tokens.eq(endOfText);
        // argmax returns the first maximal index; rows without an EOT (all zeros) fall back to the last position.
        using var asInt = isEot.to_type(ScalarType.Int32);
        using var first = asInt.argmax(1);
        using var hasEot = isEot.any(1);
        using var last = full_like(first, lastIndex);
        return where(hasEot, first, last);
    }

    private void InitializeParameters()
    {
        // open_clip text init: token embedding N(0, 0.02), positional N(0, 0.01), projection N(0, width^-0.5).
        using var _ = no_grad();
        nn.init.normal_(token_embedding.weight!, 0, 0.02);
        nn.init.normal_(positional_embedding, 0, 0.01);
        nn.init.normal_(text_projection.weight!, 0, Math.Pow(Config.Width, -0.5));
        foreach (var block in resblocks)
        {
            block.InitializeParameters(resblocks.Count);
        }
    }
}
