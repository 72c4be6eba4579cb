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
        try
        {
            // Ctrl+C cancels the token; the trainer then writes a checkpoint, which may take a while for big models.
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = TimeSpan.FromMinutes(2) });
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
        or KeyNotFoundException or BadDataException;
}
