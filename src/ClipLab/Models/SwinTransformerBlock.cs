using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Pre-norm Swin Transformer block on a channels-last grid [B, H, W, C]: <c>x + DropPath(WindowAttn(LN(x)))</c> then
/// <c>x + DropPath(MLP(LN(x)))</c>. With a shift, the normalised grid is rolled by (−shift, −shift) before windowing and
/// rolled back afterwards, so windows straddle the previous block's window borders; the shift mask stops the tokens
/// that the roll wrapped around from attending to tokens they were never next to.
/// </summary>
public sealed class SwinTransformerBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are state-dict keys (timm naming)
    private readonly LayerNorm norm1;
    private readonly WindowAttention attn;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly DropPath drop_path;
#pragma warning restore IDE1006

    private readonly int _resolution;
    private readonly int _window;
    private readonly int _shift;

    /// <summary>Creates a block for a square grid of <paramref name="resolution"/>² tokens.</summary>
    /// <param name="dim">Token width C.</param>
    /// <param name="heads">Attention heads (must divide <paramref name="dim"/>).</param>
    /// <param name="resolution">Grid side length in tokens (a multiple of <paramref name="window"/>).</param>
    /// <param name="window">Window side length in tokens.</param>
    /// <param name="shift">Cyclic shift in tokens: 0 for regular windows, else in (0, window).</param>
    /// <param name="mlpRatio">MLP hidden width as a multiple of <paramref name="dim"/>.</param>
    /// <param name="dropPath">Probability of dropping both residual branches for a sample during training.</param>
    public SwinTransformerBlock(int dim, int heads, int resolution, int window, int shift, double mlpRatio, double dropPath)
        : base(nameof(SwinTransformerBlock))
    {
        if (window < 1 || resolution % window != 0)
        {
            throw new ArgumentException($"resolution ({resolution}) must be a multiple of window ({window}).", nameof(window));
        }

        _resolution = resolution;
        _window = window;
        _shift = shift;
        drop_path = new DropPath(dropPath);
        var hidden = (long)Math.Round(dim * mlpRatio);
        norm1 = nn.LayerNorm(dim);
        attn = new WindowAttention(dim, heads, window, shift > 0 ? SwinWindows.ShiftMask(resolution, window, shift) : null);
        norm2 = nn.LayerNorm(dim);
        fc1 = nn.Linear(dim, hidden);
        fc2 = nn.Linear(hidden, dim);
        RegisterComponents();
    }

    /// <summary>Cyclic shift of the windows in tokens (0 = regular windows).</summary>
    public int Shift => _shift;

    /// <summary>Window side length in tokens.</summary>
    public int Window => _window;

    /// <summary>The block's window attention.</summary>
    public WindowAttention Attention => attn;

    /// <summary>Initialises like the original: Linear weights ~ N(0, 0.02), zero biases, unit LayerNorms.</summary>
    public void InitializeParameters()
    {
        attn.InitializeParameters();
        using var _ = no_grad();
        foreach (var linear in new[] { fc1, fc2 })
        {
            nn.init.normal_(linear.weight!, 0, 0.02);
            linear.bias!.zero_();
        }
    }

    /// <summary>Applies the block to the grid <paramref name="x"/> [B, H, W, C] (H = W = the block's resolution).</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != _resolution || x.shape[2] != _resolution)
        {
            throw new ArgumentException($"Expected a grid [B, {_resolution}, {_resolution}, C]; got [{string.Join(", ", x.shape)}].", nameof(x));
        }

        Tensor attended;
        using (var normed = norm1.call(x))
        {
            var shifted = _shift > 0 ? normed.roll([-_shift, -_shift], [1, 2]) : normed.alias();
            using (shifted)
            using (var windows = SwinWindows.Partition(shifted, _window))
            using (var attendedWindows = attn.call(windows))
            using (var grid = SwinWindows.Reverse(attendedWindows, _window, _resolution, _resolution))
            {
                attended = _shift > 0 ? grid.roll([_shift, _shift], [1, 2]) : grid.alias();
            }
        }

        Tensor h;
        using (attended)
        using (var dropped = drop_path.call(attended))
        {
            h = x.add(dropped, KeptScalars.One);
        }

        using var normed2 = norm2.call(h);
        using var hidden = fc1.call(normed2);
        using var activated = nn.functional.gelu(hidden);
        using var mlpOut = fc2.call(activated);
        using var mlpDropped = drop_path.call(mlpOut);
        using (h)
        {
            return h.add(mlpDropped, KeptScalars.One);
        }
    }
}
