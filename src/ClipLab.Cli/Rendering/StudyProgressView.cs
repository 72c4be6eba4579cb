using System.Diagnostics;
using ClipLab.Studies;
using Spectre.Console;

namespace ClipLab.Cli.Rendering;

/// <summary>
/// The live view of a running study, drawn from the library's <see cref="StudyEvent"/>s: every run of the grid with its
/// state (done, running with its step, queued) and the study's ETA (the mean time of the runs finished so far × the runs
/// left ÷ jobs). A live table on an interactive terminal; plain lines when output is redirected.
/// </summary>
internal sealed class StudyProgressView(int jobs)
{
    private readonly bool _interactive = AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;
    private readonly object _gate = new();
    private readonly Dictionary<string, string> _state = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private readonly List<double> _finishedSeconds = [];
    private readonly Dictionary<string, Stopwatch> _clocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TimeSpan> _runEta = new(StringComparer.Ordinal);
    private readonly Stopwatch _sinceLine = Stopwatch.StartNew();

    /// <summary>Runs <paramref name="work"/>, which reports its events to the callback it is given.</summary>
    public T Run<T>(Func<Action<StudyEvent>, T> work)
    {
        if (!_interactive) return work(e => { lock (_gate) PrintLine(e); });
        T result = default!;
        var table = new Table().RoundedBorder();
        AnsiConsole.Live(table).AutoClear(false).Start(ctx =>
        {
            result = work(e =>
            {
                lock (_gate)
                {
                    Apply(e);
                    if (e is StudyRunProgressed && _sinceLine.ElapsedMilliseconds < 500) return;
                    _sinceLine.Restart();
                    Redraw(table);
                    ctx.Refresh();
                }
            });
            lock (_gate) Redraw(table);
            ctx.Refresh();
        });
        return result;
    }

    private void Apply(StudyEvent e)
    {
        switch (e)
        {
            case StudyPlanned p:
                _order.Clear();
                _order.AddRange(p.RunIds);
                foreach (string id in p.RunIds) _state[id] = p.Finished.Contains(id) ? "done (earlier)" : "queued";
                break;
            case StudyRunStarted s:
                _clocks[s.RunId] = Stopwatch.StartNew();
                _state[s.RunId] = s.Resumed ? "resuming from checkpoint" : "starting";
                break;
            case StudyRunProgressed p:
                _state[p.RunId] = $"running · step {p.Progress.Step}/{p.Progress.TotalSteps} · loss {p.Progress.Loss:F3}";
                _runEta[p.RunId] = p.Progress.Eta;
                break;
            case StudyRunEvaluating v:
                _state[v.RunId] = "evaluating";
                _runEta[v.RunId] = TimeSpan.Zero;
                break;
            case StudyRunFinished f:
                _state[f.Record.RunId] = "done";
                if (_clocks.TryGetValue(f.Record.RunId, out var clock)) _finishedSeconds.Add(clock.Elapsed.TotalSeconds);
                _runEta.Remove(f.Record.RunId);
                break;
            case StudyStepStarted s:
                _state["(preparing)"] = s.Message;
                break;
        }
    }

    private (int Done, int Running, int Queued) Counts() =>
        (_order.Count(id => _state[id].StartsWith("done", StringComparison.Ordinal)),
         _order.Count(id => !_state[id].StartsWith("done", StringComparison.Ordinal) && _state[id] != "queued"),
         _order.Count(id => _state[id] == "queued"));

    private string Eta()
    {
        var (_, running, queued) = Counts();
        if (running + queued == 0) return "0:00";
        if (_finishedSeconds.Count == 0)
            return _runEta.Count > 0 && queued == 0 ? Format(_runEta.Values.Max()) : "after the first run";
        double mean = _finishedSeconds.Average();
        double seconds = queued * mean / Math.Max(1, jobs) + (_runEta.Count > 0 ? _runEta.Values.Max().TotalSeconds : mean);
        return Format(TimeSpan.FromSeconds(seconds));
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss") : t.ToString(@"m\:ss");

    private void Redraw(Table table)
    {
        var (done, running, queued) = Counts();
        table.Rows.Clear();
        if (table.Columns.Count == 0) table.AddColumn("run").AddColumn("state");
        table.Title = new TableTitle($"{done} done · {running} running · {queued} queued · ETA {Eta()}");
        if (_state.TryGetValue("(preparing)", out var step) && running == 0 && done < _order.Count) table.Caption = new TableTitle(Markup.Escape(step));
        else table.Caption = null;
        foreach (string id in _order)
        {
            string state = _state[id];
            string color = state.StartsWith("done", StringComparison.Ordinal) ? "green" : state == "queued" ? "grey" : "yellow";
            table.AddRow(Markup.Escape(id), $"[{color}]{Markup.Escape(state)}[/]");
        }
    }

    private void PrintLine(StudyEvent e)
    {
        Apply(e);
        var (done, running, queued) = Counts();
        string status = $"[{done} done · {running} running · {queued} queued · ETA {Eta()}]";
        switch (e)
        {
            case StudyPlanned p:
                Console.WriteLine(p.Finished.Count > 0
                    ? $"skipping {p.Finished.Count} finished runs; {p.RunIds.Count - p.Finished.Count} to run"
                    : $"{p.RunIds.Count} runs to run");
                break;
            case StudyStepStarted s:
                Console.WriteLine(s.Message + " ...");
                break;
            case StudyRunStarted s:
                Console.WriteLine($"{s.RunId}: {(s.Resumed ? "resuming from its checkpoint" : "starting")} {status}");
                break;
            case StudyRunProgressed p when _sinceLine.Elapsed >= TimeSpan.FromSeconds(10) || p.Progress.Step == p.Progress.TotalSteps:
                _sinceLine.Restart();
                Console.WriteLine($"{p.RunId}: step {p.Progress.Step}/{p.Progress.TotalSteps} loss {p.Progress.Loss:F4} {status}");
                break;
            case StudyRunEvaluating v:
                Console.WriteLine($"{v.RunId}: evaluating");
                break;
            case StudyRunFinished f:
                Console.WriteLine($"{f.Record.RunId}: done in {f.Record.WallSeconds:F0} s {status}");
                break;
        }
    }
}
