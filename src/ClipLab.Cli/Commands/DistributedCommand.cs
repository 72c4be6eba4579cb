using System.CommandLine;
using ClipLab.Losses;
using ClipLab.Runtime.Distributed;
using Spectre.Console;
using TorchSharp;

namespace ClipLab.Cli.Commands;

/// <summary><c>cliplab distributed check</c>: verifies the MPI set-up and the global-batch losses before a long run.</summary>
internal static class DistributedCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Per-rank batch of the loss checks.", DefaultValueFactory = _ => 8 };
        var check = new Command("check", "Check the collectives and the global-batch losses (CLIP, SigLIP, SimCLR) across the ranks of this job. " +
            "Run it under the launcher: mpirun -np 2 ./cliplab distributed check") { rows };
        check.SetAction(parse => Check(parse.GetValue(rows)));
        return new Command("distributed", "Data-parallel training over Open MPI: checks of the set-up.") { check };
    }

    private static int Check(int rows)
    {
        if (rows < 1) throw new ArgumentException("--rows must be a positive integer.");
        using var communicator = DistributedLaunch.Open();
        var results = DistributedSelfCheck.Run(communicator, rows);
        // Every rank reports its failures; the job passes only when no rank failed.
        using var failures = torch.tensor((long)results.Count(r => !r.Passed));
        communicator.AllReduceSum(failures);
        foreach (var failed in results.Where(r => !r.Passed))
            Console.Error.WriteLine($"rank {communicator.Rank}: {failed.Name} differs by {failed.MaxAbsDifference:G3}");
        if (communicator.Rank == 0)
        {
            string library = communicator is MpiCommunicator mpi ? mpi.LibraryVersion : "none (not started by an MPI launcher)";
            AnsiConsole.MarkupLine($"Ranks: [bold]{communicator.Size}[/]   MPI: {Markup.Escape(library)}");
            var table = new Table().AddColumns("check", "max |difference|", "rank 0");
            foreach (var r in results)
                table.AddRow(Markup.Escape(r.Name), r.MaxAbsDifference.ToString("G3"), r.Passed ? "[green]ok[/]" : "[red]FAILED[/]");
            AnsiConsole.Write(table);
            long failed = failures.ToInt64();
            AnsiConsole.MarkupLine(failed == 0 ? "[green]All checks passed on every rank.[/]" : $"[red]{failed} check(s) failed across the ranks.[/]");
        }
        return failures.ToInt64() == 0 ? 0 : 1;
    }
}
