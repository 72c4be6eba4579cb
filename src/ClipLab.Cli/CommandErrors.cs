using System.CommandLine;
using ClipLab.Configuration;
using ClipLab.Training;

namespace ClipLab.Cli;

/// <summary>
/// Runs a command and turns the errors a user can fix (bad config, missing file, diverged loss, full disk)
/// into one clear message and exit code 2, instead of a stack trace.
/// </summary>
internal static class CommandErrors
{
    public static int Invoke(RootCommand root, string[] args)
    {
        var parse = root.Parse(args);
        using var signals = new TerminationSignals();
        try
        {
            // SIGINT/SIGTERM cancel the token the actions receive (see TerminationSignals for why not System.CommandLine's).
            int code = parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null },
                signals.Token).GetAwaiter().GetResult();
            // A command that stopped early for a signal exits the way shells report that signal.
            return signals.Received is null || code == 0 ? code : signals.ExitCode;
        }
        catch (OperationCanceledException) when (signals.Received is not null)
        {
            Console.Error.WriteLine($"Stopped by {signals.Name} before anything was finished.");
            return signals.ExitCode;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            // Plain stderr, not Spectre: messages must not be wrapped or styled when they are read by scripts.
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    private static bool IsUserError(Exception ex) => ex is ConfigException or FileNotFoundException or DirectoryNotFoundException
        or InvalidDataException or InvalidOperationException or TrainingDivergedException or IOException or ArgumentException
        or KeyNotFoundException;
}
