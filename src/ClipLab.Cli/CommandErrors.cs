using System.CommandLine;
using ClipLab.Configuration;
using ClipLab.Data;
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
        catch (Exception ex) when (IsNativeError(ex))
        {
            // libtorch failed inside a call: nothing the user typed is wrong, and checkpoints are written atomically.
            Console.Error.WriteLine($"error: libtorch failed: {FirstLine(ex.Message)}. The last checkpoint is intact; " +
                                    "continue a training run with `./cliplab train --resume DIR`.");
            return 3;
        }
        catch (Exception ex) when (IsUserError(ex))
        {
            // Plain stderr, not Spectre: messages must not be wrapped or styled when they are read by scripts.
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }
    }

    // TorchSharp reports libtorch errors as ExternalException (and SEHException, its subclass).
    private static bool IsNativeError(Exception ex) => ex is System.Runtime.InteropServices.ExternalException;

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static bool IsUserError(Exception ex) => ex is ConfigException or FileNotFoundException or DirectoryNotFoundException
        or InvalidDataException or InvalidOperationException or TrainingDivergedException or IOException or ArgumentException
        or KeyNotFoundException or NotSupportedException or BadDataException or Runtime.Distributed.MpiException;
}
