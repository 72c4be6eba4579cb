using System.Runtime.InteropServices;

namespace ClipLab.Cli;

/// <summary>
/// Turns SIGINT (Ctrl+C) and SIGTERM (what schedulers send before killing a job) into a cancellation that the
/// long commands honour: they finish the current step or batch, keep what is finished and exit with
/// 128 + the signal number (130, 143). A second signal aborts at once.
/// </summary>
/// <remarks>
/// System.CommandLine's own termination handling cannot do this: it registers its handler only after the
/// command's action has returned its task, and our actions run synchronously inside that call, so a signal
/// during the work found no handler and the runtime killed the process. Handling the signals here, before the
/// command starts, does not depend on how an action is written.
/// </remarks>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _received; // the first PosixSignal received, 0 while none

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle);
    }

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>The first signal received, or null.</summary>
    public PosixSignal? Received => _received == 0 ? null : (PosixSignal)_received;

    /// <summary>The shell's exit code for a process stopped by <see cref="Received"/>: 128 + the signal number.</summary>
    public int ExitCode => Received switch
    {
        PosixSignal.SIGINT => 130,
        PosixSignal.SIGTERM => 143,
        _ => 1,
    };

    /// <summary>The received signal's name (SIGINT, SIGTERM), for messages.</summary>
    public string Name => Received?.ToString() ?? "a signal";

    private void Handle(PosixSignalContext context)
    {
        if (Interlocked.CompareExchange(ref _received, (int)context.Signal, 0) != 0)
        {
            // The second signal: the user does not want to wait. Leaving Cancel false lets the runtime's default
            // action end the process now; the last checkpoint and finished parts are intact (they are written atomically).
            context.Cancel = false;
            return;
        }
        context.Cancel = true;
        Console.Error.WriteLine($"{context.Signal}: stopping after the current step and keeping finished work " +
                                "(send it again to abort at once).");
        _cancellation.Cancel();
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }
}
