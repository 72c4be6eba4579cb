using System.Diagnostics;

namespace ClipLab.Tests.Runtime;

/// <summary>Runs the real CLI under Open MPI's <c>mpirun</c> with N ranks on this machine (as root too, as in CI).</summary>
internal static class MpiLaunch
{
    public static ProcessStartInfo StartInfo(int ranks, params string[] args)
    {
        var info = new ProcessStartInfo("mpirun") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-np", ranks.ToString(), "--oversubscribe", "--bind-to", "none", "dotnet", Path.Combine(AppContext.BaseDirectory, "ClipLab.Cli.dll") })
            info.ArgumentList.Add(a);
        foreach (var a in args) info.ArgumentList.Add(a);
        // CI runs as root; Open MPI refuses that unless both variables say it is intended.
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        info.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        // Plain text, so the output can be asserted on.
        info.Environment["NO_COLOR"] = "1";
        info.Environment["TERM"] = "dumb";
        // Keep Open MPI on the loopback/shared-memory transports of this machine.
        info.Environment["OMPI_MCA_btl"] = "self,vader,tcp";
        info.Environment["OMPI_MCA_btl_tcp_if_include"] = "lo";
        info.Environment["OMPI_MCA_oob_tcp_if_include"] = "lo";
        return info;
    }

    public static (int ExitCode, string Output) Run(int ranks, params string[] args)
    {
        using var process = Process.Start(StartInfo(ranks, args))!;
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        // Spectre may still emit cursor-mode escapes under mpirun's pseudo-terminal; drop every escape sequence.
        string text = System.Text.RegularExpressions.Regex.Replace(stdout + stderr.Result, @"\x1b(\[[0-9;?]*[a-zA-Z]|[=>])", "");
        return (process.ExitCode, text);
    }
}
