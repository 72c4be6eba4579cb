using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace ClipLab.Tests.Cli;

/// <summary>
/// A real CLI child process that a test sends real POSIX signals to (SIGINT, SIGTERM), with its output collected.
/// </summary>
internal sealed class SignalledCli : IDisposable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public SignalledCli(params string[] args)
    {
        // A child of a shell script's background job inherits SIGINT ignored, as shells want for `cmd &`; the
        // CLI rightly keeps it ignored then. `env --default-signal` gives the child the disposition it has when a
        // user starts it at a terminal, whatever started the test runner.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal=INT,TERM", "dotnet", Path.Combine(AppContext.BaseDirectory, "ClipLab.Cli.dll") }.Concat(args))
            info.ArgumentList.Add(a);
        _process = Process.Start(info)!; // env execs dotnet: the pid is the CLI's own
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Waits (polling) until <paramref name="condition"/> holds; false if the process exited or time ran out first.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            if (condition()) return true;
            Thread.Sleep(10);
        }
        return false;
    }

    public void Send(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>Waits for the process to exit and returns its exit code and whole output.</summary>
    public (int ExitCode, string Output) WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) throw new TimeoutException($"the CLI did not exit within {timeout} of the signal:\n{Output}");
        _process.WaitForExit(); // flushes the asynchronous output readers
        return (_process.ExitCode, Output);
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
