using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>The communicator of a job with one rank: every collective is the identity.</summary>
public sealed class SingleProcessCommunicator : ICommunicator
{
    /// <summary>The shared instance (it holds no state).</summary>
    public static SingleProcessCommunicator Instance { get; } = new();

    /// <inheritdoc />
    public int Rank => 0;

    /// <inheritdoc />
    public int Size => 1;

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor) => ArgumentNullException.ThrowIfNull(tensor);

    /// <inheritdoc />
    public Tensor AllGather(Tensor local)
    {
        ArgumentNullException.ThrowIfNull(local);
        // A new handle on the same values, so callers may dispose the result as with any other communicator.
        return local.alias();
    }

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentOutOfRangeException.ThrowIfNotEqual(root, 0);
    }

    /// <inheritdoc />
    public void Barrier() { }

    /// <inheritdoc />
    public void Dispose() { }
}
