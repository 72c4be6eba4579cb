using ClipLab.Configuration;

namespace ClipLab.Studies;

/// <summary>How a study is run on this machine.</summary>
public sealed record StudyRunOptions
{
    /// <summary>The slice of the grid this invocation runs (null = all).</summary>
    public StudyShard? Shard { get; init; }

    /// <summary>Runs trained at the same time (each by its own executor call; the executor splits the threads).</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Only these run ids (null = every run of the shard); used by a parallel job's child process.</summary>
    public IReadOnlySet<string>? Only { get; init; }

    /// <summary>Applied to every run's config (and the scorer's): the machine's device, precision and threads.</summary>
    public Func<RunConfig, RunConfig> Adjust { get; init; } = c => c;
}
