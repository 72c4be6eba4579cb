using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ClipLab.Models.Compute;

/// <summary>
/// Counts the multiply–accumulates of a real forward pass from the shapes of the tensors that flow through it: every
/// <see cref="Linear"/> and convolution (through forward hooks) and every attention product or functional matmul that a
/// tower reports with <see cref="RecordAttention"/> or <see cref="RecordMatmul"/>. Used to check the analytic
/// <see cref="TowerCost"/> formulas against what the modules actually compute.
/// </summary>
/// <remarks>
/// Only one counter can be active per thread; towers call the static <c>Record*</c> methods unconditionally and they
/// cost nothing when no counter is attached.
/// </remarks>
public sealed class MacCounter : IDisposable
{
    [ThreadStatic]
    private static MacCounter? active;

    private readonly List<Action> _removeHooks = [];
    private readonly Dictionary<string, double> _byOperation = new(StringComparer.Ordinal);

    private MacCounter()
    {
    }

    /// <summary>Total multiply–accumulates counted so far, over the whole batch.</summary>
    public double Total => _byOperation.Values.Sum();

    /// <summary>Totals per operation kind: <c>linear</c>, <c>conv</c>, <c>attention</c>, <c>matmul</c>.</summary>
    public IReadOnlyDictionary<string, double> ByOperation => _byOperation;

    /// <summary>Hooks every linear and convolution module under <paramref name="root"/> and makes this counter the thread's active one.</summary>
    /// <exception cref="InvalidOperationException">Another counter is active on this thread.</exception>
    public static MacCounter Attach(nn.Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        if (active is not null)
        {
            throw new InvalidOperationException("A MacCounter is already attached on this thread; dispose it first.");
        }

        var counter = new MacCounter();
        foreach (var module in root.modules().Prepend(root))
        {
            switch (module)
            {
                case Linear linear:
                    var inFeatures = linear.weight!.shape[1];
                    counter._removeHooks.Add(linear.register_forward_hook((_, _, output) =>
                    {
                        counter.Add("linear", (double)output.numel() * inFeatures);
                        return output;
                    }).remove);
                    break;
                case Convolution conv:
                    // Each output element needs (in_channels / groups) × kernel area MACs.
                    var perOutput = conv.weight!.numel() / conv.out_channels;
                    counter._removeHooks.Add(conv.register_forward_hook((_, _, output) =>
                    {
                        counter.Add("conv", (double)output.numel() * perOutput);
                        return output;
                    }).remove);
                    break;
            }
        }

        active = counter;
        return counter;
    }

    /// <summary>
    /// Records the two products of scaled dot-product attention: q·kᵀ ([…, Nq, D] × […, D, Nk]) and attention·v
    /// ([…, Nq, Nk] × […, Nk, Dv]). Call with the tensors passed to the attention kernel.
    /// </summary>
    public static void RecordAttention(Tensor query, Tensor key, Tensor value)
    {
        var counter = active;
        if (counter is null)
        {
            return;
        }

        double leading = query.numel() / query.shape[^1]; // batch × heads × Nq
        double keys = key.shape[^2];
        counter.Add("attention", leading * keys * query.shape[^1] + leading * keys * value.shape[^1]);
    }

    /// <summary>Records a functional matrix product <c>a @ b</c> of shapes […, N, K] and […, K, M] (batch dimensions broadcast).</summary>
    public static void RecordMatmul(Tensor a, Tensor b)
    {
        var counter = active;
        if (counter is null)
        {
            return;
        }

        var outputShape = broadcast_shapes(a.shape[..^2], b.shape[..^2]);
        double batch = outputShape.Aggregate(1L, (p, d) => p * d);
        counter.Add("matmul", batch * a.shape[^2] * a.shape[^1] * b.shape[^1]);
    }

    /// <summary>Runs <paramref name="module"/> on <paramref name="input"/> (batch first) without gradients and returns the MACs per sample.</summary>
    public static double MeasureForward(nn.Module<Tensor, Tensor> module, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        using var counter = Attach(module);
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            module.call(input);
        }

        return counter.Total / input.shape[0];
    }

    /// <summary>Removes the hooks and deactivates the counter.</summary>
    public void Dispose()
    {
        foreach (var remove in _removeHooks)
        {
            remove();
        }

        _removeHooks.Clear();
        if (ReferenceEquals(active, this))
        {
            active = null;
        }
    }

    private void Add(string operation, double macs)
        => _byOperation[operation] = _byOperation.GetValueOrDefault(operation) + macs;
}
