using System.Runtime.InteropServices;

namespace ClipLab.Runtime.Distributed;

/// <summary>
/// Open MPI's C API, bound at run time: the library is opened only when a process was started by an MPI launcher, so a
/// plain run never needs it. Open MPI's handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM …) are the addresses of its
/// exported predefined objects, which is why they are looked up as symbols.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>Open MPI's MPI_IN_PLACE sentinel.</summary>
    public static readonly IntPtr InPlace = 1;

    private const int RtldNow = 0x002;
    private const int RtldGlobal = 0x100;

    // Open MPI's components (shared memory, TCP transports) are plugins that resolve libmpi's symbols at their own load,
    // so libmpi must be opened RTLD_GLOBAL, which NativeLibrary.Load does not do.
    [DllImport("libc.so.6", EntryPoint = "dlopen")]
    private static extern IntPtr DlOpen(string fileName, int flags);

    [DllImport("libc.so.6", EntryPoint = "dlerror")]
    private static extern IntPtr DlError();

    private readonly IntPtr _library;

    public readonly delegate* unmanaged<int*, IntPtr, int> Init;
    public readonly delegate* unmanaged<int*, int> Initialized;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<int*, int> Finalized;
    public readonly delegate* unmanaged<IntPtr, int*, int> CommRank;
    public readonly delegate* unmanaged<IntPtr, int*, int> CommSize;
    public readonly delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int> Allreduce;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr, IntPtr, int, IntPtr, IntPtr, int> Allgather;
    public readonly delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int> Bcast;
    public readonly delegate* unmanaged<IntPtr, int> Barrier;
    public readonly delegate* unmanaged<IntPtr, int, int> Abort;
    public readonly delegate* unmanaged<byte*, int*, int> GetLibraryVersion;

    /// <summary>MPI_COMM_WORLD.</summary>
    public IntPtr CommWorld { get; }

    /// <summary>MPI_FLOAT.</summary>
    public IntPtr Float { get; }

    /// <summary>MPI_DOUBLE.</summary>
    public IntPtr Double { get; }

    /// <summary>MPI_LONG_LONG (int64).</summary>
    public IntPtr Int64 { get; }

    /// <summary>MPI_SUM.</summary>
    public IntPtr Sum { get; }

    /// <summary>The file it was opened from.</summary>
    public string Path { get; }

    private MpiLibrary(IntPtr library, string path)
    {
        _library = library;
        Path = path;
        Init = (delegate* unmanaged<int*, IntPtr, int>)Export("MPI_Init");
        Initialized = (delegate* unmanaged<int*, int>)Export("MPI_Initialized");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        CommRank = (delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<IntPtr, int*, int>)Export("MPI_Comm_size");
        Allreduce = (delegate* unmanaged<IntPtr, IntPtr, int, IntPtr, IntPtr, IntPtr, int>)Export("MPI_Allreduce");
        Allgather = (delegate* unmanaged<IntPtr, int, IntPtr, IntPtr, int, IntPtr, IntPtr, int>)Export("MPI_Allgather");
        Bcast = (delegate* unmanaged<IntPtr, int, IntPtr, int, IntPtr, int>)Export("MPI_Bcast");
        Barrier = (delegate* unmanaged<IntPtr, int>)Export("MPI_Barrier");
        Abort = (delegate* unmanaged<IntPtr, int, int>)Export("MPI_Abort");
        GetLibraryVersion = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_library_version");
        if (!NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out var world))
            throw new MpiException($"{path} is not Open MPI (it lacks Open MPI's predefined handles); ClipLab binds Open MPI 4 or 5: apt-get install openmpi-bin libopenmpi-dev, or set CLIPLAB_MPI_LIBRARY to Open MPI's libmpi.so.");
        CommWorld = world;
        Float = Export("ompi_mpi_float");
        Double = Export("ompi_mpi_double");
        Int64 = Export("ompi_mpi_long_long_int");
        Sum = Export("ompi_mpi_op_sum");
    }

    /// <summary>Opens Open MPI's libmpi: <c>CLIPLAB_MPI_LIBRARY</c> when set, else the system's libmpi.so.40.</summary>
    /// <exception cref="MpiException">No usable library was found; the message says what to install.</exception>
    public static MpiLibrary Open()
    {
        string? configured = Environment.GetEnvironmentVariable("CLIPLAB_MPI_LIBRARY");
        string[] candidates = configured is { Length: > 0 } ? [configured] : ["libmpi.so.40", "libmpi.so"];
        var errors = new List<string>();
        foreach (string candidate in candidates)
        {
            IntPtr handle = DlOpen(candidate, RtldNow | RtldGlobal);
            if (handle != IntPtr.Zero) return new MpiLibrary(handle, candidate);
            errors.Add(Marshal.PtrToStringUTF8(DlError()) ?? candidate);
        }
        throw new MpiException("this process was started by an MPI launcher but Open MPI's library could not be opened (" +
            string.Join("; ", errors) + "). Install it with: apt-get install openmpi-bin libopenmpi-dev, or set CLIPLAB_MPI_LIBRARY.");
    }

    /// <summary>Throws <see cref="MpiException"/> naming <paramref name="call"/> when an MPI call returned an error code.</summary>
    public static void Check(int code, string call)
    {
        if (code != 0) throw new MpiException($"{call} failed with MPI error code {code}.");
    }

    /// <summary>The library's version string (MPI_Get_library_version).</summary>
    public string Version()
    {
        var buffer = stackalloc byte[8192];
        int length = 0;
        Check(GetLibraryVersion(buffer, &length), "MPI_Get_library_version");
        return System.Text.Encoding.UTF8.GetString(buffer, length).Split('\n')[0].Trim();
    }

    private IntPtr Export(string name) => NativeLibrary.TryGetExport(_library, name, out var address)
        ? address
        : throw new MpiException($"{Path} lacks {name}; ClipLab needs Open MPI 4 or 5 (apt-get install openmpi-bin libopenmpi-dev).");
}
