using System.Diagnostics;
using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// A communicator that counts the wall-clock seconds its collectives take, for the share of a training step spent
/// communicating. The time includes waiting for the slowest rank to arrive, so it also shows imbalance between ranks.
/// </summary>
public sealed class TimedCommunicator : ICommunicator
{
    private readonly ICommunicator _inner;
    private long _ticks;

    /// <summary>Times the collectives of <paramref name="inner"/> (which it does not own: disposing this leaves it open).</summary>
    public TimedCommunicator(ICommunicator inner) => _inner = inner ?? throw new ArgumentNullException(nameof(inner));

    /// <summary>Seconds spent in collectives so far.</summary>
    public double Seconds => (double)Interlocked.Read(ref _ticks) / Stopwatch.Frequency;

    /// <inheritdoc />
    public int Rank => _inner.Rank;

    /// <inheritdoc />
    public int Size => _inner.Size;

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor)
    {
        long start = Stopwatch.GetTimestamp();
        try { _inner.AllReduceSum(tensor); }
        finally { Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start); }
    }

    /// <inheritdoc />
    public Tensor AllGather(Tensor local)
    {
        long start = Stopwatch.GetTimestamp();
        try { return _inner.AllGather(local); }
        finally { Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start); }
    }

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        long start = Stopwatch.GetTimestamp();
        try { _inner.Broadcast(tensor, root); }
        finally { Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start); }
    }

    /// <inheritdoc />
    public void Barrier()
    {
        long start = Stopwatch.GetTimestamp();
        try { _inner.Barrier(); }
        finally { Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - start); }
    }

    /// <inheritdoc />
    public void Dispose() { }
}
