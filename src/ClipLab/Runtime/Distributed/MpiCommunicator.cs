using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// The collectives over Open MPI's MPI_COMM_WORLD. Tensors travel through host memory: a contiguous CPU tensor of a
/// type MPI knows (float32, float64, int64) is used in place, anything else (a GPU tensor, bf16) is copied to such a
/// host tensor and back. Counts above MPI's int range are sent in pieces.
/// </summary>
public sealed unsafe class MpiCommunicator : ICommunicator
{
    private readonly MpiLibrary _mpi;
    private bool _disposed;

    private MpiCommunicator(MpiLibrary mpi, int rank, int size)
    {
        _mpi = mpi;
        Rank = rank;
        Size = size;
        LibraryVersion = mpi.Version();
    }

    /// <inheritdoc />
    public int Rank { get; }

    /// <inheritdoc />
    public int Size { get; }

    /// <summary>The MPI library's own version line (e.g. "Open MPI v4.1.4, …").</summary>
    public string LibraryVersion { get; }

    /// <summary>Opens Open MPI, initialises it (once per process) and returns the world communicator.</summary>
    /// <exception cref="MpiException">The library is missing or is not Open MPI.</exception>
    public static MpiCommunicator Initialize()
    {
        var mpi = MpiLibrary.Open();
        int initialized = 0;
        MpiLibrary.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) MpiLibrary.Check(mpi.Init(null, IntPtr.Zero), "MPI_Init");
        int rank = 0, size = 0;
        MpiLibrary.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        MpiLibrary.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        return new MpiCommunicator(mpi, rank, size);
    }

    /// <inheritdoc />
    public void AllReduceSum(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        using var scope = torch.NewDisposeScope();
        var (host, copyBack) = OnHost(tensor);
        var type = TypeOf(host);
        InPieces(host, (data, piece) => MpiLibrary.Check(_mpi.Allreduce(MpiLibrary.InPlace, data, piece, type, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce"));
        if (copyBack) tensor.copy_(host);
    }

    /// <inheritdoc />
    public Tensor AllGather(Tensor local)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (local.dim() == 0) throw new ArgumentException("AllGather needs a tensor with at least one dimension.", nameof(local));
        using var scope = torch.NewDisposeScope();
        var (host, _) = OnHost(local);
        var shape = (long[])host.shape.Clone();
        shape[0] *= Size;
        var gathered = torch.empty(shape, host.dtype, torch.CPU);
        long count = host.numel();
        if (count > int.MaxValue) throw new ArgumentException($"AllGather of {count:N0} elements per rank exceeds MPI's int count.", nameof(local));
        var type = TypeOf(host);
        MpiLibrary.Check(_mpi.Allgather(TensorMemory.Address(host), (int)count, type, TensorMemory.Address(gathered), (int)count, type, _mpi.CommWorld), "MPI_Allgather");
        var result = gathered.to(local.dtype).to(local.device);
        return result.MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Broadcast(Tensor tensor, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        ArgumentOutOfRangeException.ThrowIfNegative(root);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(root, Size);
        using var scope = torch.NewDisposeScope();
        var (host, copyBack) = OnHost(tensor);
        var type = TypeOf(host);
        InPieces(host, (data, piece) => MpiLibrary.Check(_mpi.Bcast(data, piece, type, root, _mpi.CommWorld), "MPI_Bcast"));
        if (copyBack) tensor.copy_(host);
    }

    /// <inheritdoc />
    public void Barrier() => MpiLibrary.Check(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");

    /// <summary>Ends the whole job at once with <paramref name="exitCode"/> (MPI_Abort), for a failure the other ranks cannot see.</summary>
    public void Abort(int exitCode) => _mpi.Abort(_mpi.CommWorld, exitCode);

    /// <summary>Finalises MPI (once per process).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        int finalized = 0;
        _mpi.Finalized(&finalized);
        if (finalized == 0) _mpi.Finalize();
    }

    private const long MaxCount = int.MaxValue;

    /// <summary>Calls <paramref name="call"/> on consecutive pieces of a host tensor's memory small enough for MPI's int counts.</summary>
    private static void InPieces(Tensor host, Action<IntPtr, int> call)
    {
        long count = host.numel();
        long elementSize = host.ElementSize;
        IntPtr data = TensorMemory.Address(host);
        for (long offset = 0; offset < count; offset += MaxCount)
            call(data + (nint)(offset * elementSize), (int)Math.Min(MaxCount, count - offset));
    }

    /// <summary>A contiguous CPU tensor of an MPI type holding <paramref name="tensor"/>'s values, and whether it is a copy.</summary>
    private static (Tensor Host, bool IsCopy) OnHost(Tensor tensor)
    {
        bool usable = tensor.device_type == DeviceType.CPU && tensor.is_contiguous()
            && tensor.dtype is ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64;
        if (usable) return (tensor, false);
        var type = tensor.dtype is ScalarType.Float64 or ScalarType.Int64 ? tensor.dtype : ScalarType.Float32;
        return (tensor.to(type, torch.CPU).contiguous(), true);
    }

    private IntPtr TypeOf(Tensor host) => host.dtype switch
    {
        ScalarType.Float32 => _mpi.Float,
        ScalarType.Float64 => _mpi.Double,
        ScalarType.Int64 => _mpi.Int64,
        _ => throw new ArgumentException($"no MPI type for {host.dtype}"),
    };
}
