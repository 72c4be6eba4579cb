using TorchSharp;

namespace ClipLab.Runtime;

/// <summary>
/// libtorch's process-wide settings for a training process: its intra-op threads and the seed of its global random
/// generator (from which TorchSharp initialises every new module's weights). Made once by the entry point that starts a
/// run (the CLI, a benchmark, a test), never inside the library's training code.
/// </summary>
/// <param name="Threads">Intra-op threads of this process.</param>
/// <param name="Seed">Seed of the global random generator.</param>
public sealed record TorchProcessSettings(int Threads, long Seed)
{
    /// <summary>
    /// The settings for one of <paramref name="ranks"/> processes of a run with <c>training.threads</c>
    /// <paramref name="threads"/> and seed <paramref name="seed"/>: the configured threads, or 0 = the cores shared out
    /// between the ranks on this machine (at least one each), so that N ranks do not oversubscribe the cores N-fold.
    /// </summary>
    public static TorchProcessSettings For(int threads, long seed, int ranks = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 1);
        return new TorchProcessSettings(threads > 0 ? threads : Math.Max(1, Environment.ProcessorCount / ranks), seed);
    }

    /// <summary>Sets libtorch's threads and seeds its global generator.</summary>
    public void Apply()
    {
        torch.set_num_threads(Threads);
        torch.manual_seed(Seed);
    }
}
