using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Models;

/// <summary>
/// Window geometry of the Swin Transformer: splitting a token grid into non-overlapping square windows and back, the
/// relative position index of a window, and the attention mask of cyclically shifted windows.
/// </summary>
/// <remarks>
/// Windows are numbered row-major over the grid and tokens row-major inside a window; <see cref="Partition"/>,
/// <see cref="Reverse"/> and <see cref="ShiftMask"/> share that order, which is what makes the mask line up with the tokens.
/// </remarks>
public static class SwinWindows
{
    /// <summary>Splits a grid [B, H, W, C] into windows [B, (H/w)·(W/w), w·w, C] (one copy).</summary>
    /// <param name="grid">Channels-last token grid; H and W must be multiples of <paramref name="window"/>.</param>
    /// <param name="window">Window side length in tokens.</param>
    public static Tensor Partition(Tensor grid, int window)
    {
        var (b, h, w, c) = (grid.shape[0], grid.shape[1], grid.shape[2], grid.shape[3]);
        using var split = grid.view(b, h / window, window, w / window, window, c);
        using var ordered = split.permute(0, 1, 3, 2, 4, 5);
        return ordered.reshape(b, h / window * (w / window), (long)window * window, c);
    }

    /// <summary>Inverse of <see cref="Partition"/>: windows [B, nW, w·w, C] back to the grid [B, H, W, C] (one copy).</summary>
    /// <param name="windows">Windows in <see cref="Partition"/>'s order.</param>
    /// <param name="window">Window side length in tokens.</param>
    /// <param name="height">Grid height in tokens.</param>
    /// <param name="width">Grid width in tokens.</param>
    public static Tensor Reverse(Tensor windows, int window, long height, long width)
    {
        var (b, c) = (windows.shape[0], windows.shape[3]);
        using var split = windows.view(b, height / window, width / window, window, window, c);
        using var ordered = split.permute(0, 1, 3, 2, 4, 5);
        return ordered.reshape(b, height, width, c);
    }

    /// <summary>
    /// Index into the (2w−1)² relative position bias table for every (query, key) pair of a w×w window, [w², w²] int64:
    /// the offset (Δrow, Δcol) = (row_q − row_k, col_q − col_k), each in [−(w−1), w−1], shifted to be non-negative
    /// and flattened row-major, so pairs with the same offset share one learned bias.
    /// </summary>
    /// <param name="window">Window side length in tokens.</param>
    public static Tensor RelativePositionIndex(int window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        var n = window * window;
        var span = 2 * window - 1;
        var index = new long[n * n];
        for (var q = 0; q < n; q++)
        {
            for (var k = 0; k < n; k++)
            {
                var dRow = q / window - k / window + window - 1;
                var dCol = q % window - k % window + window - 1;
                index[q * n + k] = dRow * span + dCol;
            }
        }

        return tensor(index, [n, n]);
    }

    /// <summary>
    /// Additive attention mask [nW, w², w²] for windows taken after rolling the grid by (−shift, −shift): 0 where query and
    /// key come from the same region of the un-rolled image and −∞ where the roll brought together tokens that are not
    /// neighbours (the wrapped-around strips along the bottom and right edges).
    /// </summary>
    /// <param name="resolution">Side length in tokens of the square grid (a multiple of <paramref name="window"/>).</param>
    /// <param name="window">Window side length in tokens.</param>
    /// <param name="shift">Cyclic shift in tokens, in (0, window).</param>
    public static Tensor ShiftMask(int resolution, int window, int shift)
    {
        if (window < 1 || resolution % window != 0 || shift <= 0 || shift >= window)
        {
            throw new ArgumentException($"Need resolution ({resolution}) a multiple of window ({window}) and 0 < shift ({shift}) < window.");
        }

        // After the roll, rows split into [0, R−w) (never wrapped), [R−w, R−shift) and [R−shift, R) (wrapped from the top);
        // columns likewise. Tokens in different (row band, column band) pairs were not adjacent before the roll.
        int Band(int coordinate) => coordinate < resolution - window ? 0 : coordinate < resolution - shift ? 1 : 2;

        var perRow = resolution / window;
        var windows = perRow * perRow;
        var n = window * window;
        var region = new int[windows, n];
        for (var row = 0; row < resolution; row++)
        {
            for (var col = 0; col < resolution; col++)
            {
                region[row / window * perRow + col / window, row % window * window + col % window] = Band(row) * 3 + Band(col);
            }
        }

        var mask = new float[windows * n * n];
        for (var win = 0; win < windows; win++)
        {
            for (var q = 0; q < n; q++)
            {
                for (var k = 0; k < n; k++)
                {
                    mask[(win * n + q) * n + k] = region[win, q] == region[win, k] ? 0f : float.NegativeInfinity;
                }
            }
        }

        return tensor(mask, [windows, n, n]);
    }
}
