using System.Diagnostics;

namespace ClipLab.Tests.Cli;

/// <summary>Starts the real CLI (the built ClipLab.Cli.dll beside the tests) as a child process.</summary>
internal static class CliProcess
{
    public static Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ClipLab.Cli.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static (int ExitCode, string Output) Run(params string[] args)
    {
        var (code, stdout, stderr) = RunSeparately(args);
        return (code, stdout + stderr);
    }

    /// <summary>Runs the CLI to the end and returns its exit code, standard output and standard error apart.</summary>
    public static (int ExitCode, string Stdout, string Stderr) RunSeparately(params string[] args)
    {
        using var process = Start(args);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }
}
