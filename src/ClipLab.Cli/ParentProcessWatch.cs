using System.Runtime.InteropServices;

namespace ClipLab.Cli;

/// <summary>
/// Cancels when the process that started this one is gone, so a study's child run stops (after its current step,
/// keeping a checkpoint) when <c>study run --jobs N</c> is killed with SIGKILL, which gives the parent no chance to
/// forward a signal. An orphaned child would otherwise go on training, and the same command run again would start a
/// second process on the same run folder.
/// </summary>
/// <remarks>
/// Linux's PR_SET_PDEATHSIG would be immediate, but it fires when the forking <em>thread</em> exits, and .NET starts
/// processes from pool threads. Polling getppid(2) is cheap and exact: an orphan is re-parented, so its parent id changes.
/// </remarks>
internal sealed class ParentProcessWatch : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _orphaned = new();
    private readonly Timer _timer;
    private readonly int _parent;

    /// <summary>Watches for <paramref name="parentProcessId"/> to stop being this process's parent.</summary>
    public ParentProcessWatch(int parentProcessId)
    {
        _parent = parentProcessId;
        _timer = new Timer(_ => Check(), null, TimeSpan.Zero, Interval);
    }

    /// <summary>Cancelled once the parent is gone.</summary>
    public CancellationToken Token => _orphaned.Token;

    private void Check()
    {
        try
        {
            if (_orphaned.IsCancellationRequested || GetParentProcessId() == _parent) return;
            Console.Error.WriteLine($"The study process {_parent} that started this run is gone: stopping after the current step and keeping a checkpoint.");
            _orphaned.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A tick that raced with Dispose: the run is over anyway.
        }
    }

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();

    public void Dispose()
    {
        _timer.Dispose();
        _orphaned.Dispose();
    }
}
