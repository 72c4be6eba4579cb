namespace ClipLab.Runtime.Distributed;

/// <summary>
/// Finds out how this process was started: by an MPI launcher (<c>mpirun</c>/<c>mpiexec</c> of Open MPI, or Slurm's
/// <c>srun</c> with PMIx), or alone. Only in the first case is the MPI library opened, so a plain run never needs it.
/// </summary>
public static class DistributedLaunch
{
    /// <summary>Environment variables an MPI launcher sets in every rank it starts.</summary>
    public static readonly IReadOnlyList<string> LauncherVariables = ["OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_SIZE"];

    /// <summary>True when one of <see cref="LauncherVariables"/> is set in <paramref name="environment"/> (default: this process's).</summary>
    public static bool StartedByLauncher(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        return LauncherVariables.Any(name => !string.IsNullOrEmpty(environment(name)));
    }

    /// <summary>This process's communicator: MPI's world when started by a launcher, else the single-process one.</summary>
    /// <exception cref="MpiException">Started by a launcher, but Open MPI cannot be opened.</exception>
    public static ICommunicator Open() => StartedByLauncher() ? MpiCommunicator.Initialize() : SingleProcessCommunicator.Instance;
}
