using ClipLab.Configuration;

namespace ClipLab.Studies;

/// <summary>
/// Runs a study in a folder, resumable as a whole: runs already in the store are skipped (never trained again), a run
/// interrupted mid-training continues from its checkpoint, and the rest start fresh. Each run is an ordinary run folder,
/// <c>&lt;out&gt;/runs/&lt;run-id&gt;/</c>; its row enters the store (<see cref="StudyStore"/>) only once it has finished
/// and been evaluated. With <see cref="StudyRunOptions.Jobs"/> above one, that many runs go at once, each through the executor.
/// </summary>
public sealed class StudyRunner
{
    private readonly StudyDefinition _study;
    private readonly string _folder;
    private readonly StudyRunOptions _options;

    /// <summary>Prepares to run <paramref name="study"/> in <paramref name="folder"/>.</summary>
    public StudyRunner(StudyDefinition study, string folder, StudyRunOptions? options = null)
    {
        _study = study ?? throw new ArgumentNullException(nameof(study));
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        _folder = Path.GetFullPath(folder);
        _options = options ?? new StudyRunOptions();
        if (_options.Jobs < 1) throw new ConfigException("--jobs", _options.Jobs, "a positive number of runs to train at once");
    }

    /// <summary>The run folder of <paramref name="runId"/>.</summary>
    public static string RunFolder(string studyFolder, string runId) => Path.Combine(studyFolder, "runs", runId);

    /// <summary>The runs this invocation is responsible for (its shard, and <see cref="StudyRunOptions.Only"/>), in plan order.</summary>
    public IReadOnlyList<PlannedRun> Runs
    {
        get
        {
            var runs = _options.Shard?.Select(_study.Runs) ?? _study.Runs;
            return _options.Only is null ? runs : runs.Where(r => _options.Only.Contains(r.RunId)).ToList();
        }
    }

    /// <summary>
    /// Runs every unfinished run of this invocation with <paramref name="executor"/>. Returns true when all are finished,
    /// false when cancelled (what finished is in the store; checkpoints of the rest stay for the next attempt).
    /// </summary>
    public bool Run(IStudyRunExecutor executor, Action<StudyEvent>? onEvent = null, TextWriter? log = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(executor);
        onEvent ??= _ => { };
        log ??= TextWriter.Null;
        var runs = Runs;
        HashSet<string> finished;
        using (var store = StudyStore.Open(_folder))
        {
            store.Claim(_study.Name, _study.Scale);
            finished = new HashSet<string>(store.FinishedRunIds().Where(id => runs.Any(r => r.RunId == id)), StringComparer.Ordinal);
        }
        onEvent(new StudyPlanned(runs.Select(r => r.RunId).ToList(), finished));
        var pending = runs.Where(r => !finished.Contains(r.RunId)).ToList();
        if (pending.Count == 0) return true;

        if (pending.Any(r => r.KeepTop is not null))
        {
            var patterns = QualitySubsets.Prepare(_study.Section.Scoring!, pending.Where(r => r.KeepTop is not null).Select(r => r.KeepTop!.Value),
                _folder, _options.Adjust, onEvent, log, cancellation);
            if (patterns is null) return false;
            pending = pending.Select(r => r.KeepTop is double f ? WithSubset(r, patterns[f]) : r).ToList();
        }

        var queue = new Queue<PlannedRun>(pending);
        var gate = new object();
        Exception? failure = null;
        bool cancelled = false;
        void Worker()
        {
            while (true)
            {
                PlannedRun run;
                lock (gate)
                {
                    if (failure is not null || cancelled || queue.Count == 0) return;
                    run = queue.Dequeue();
                }
                try
                {
                    var record = executor.Execute(run, RunFolder(_folder, run.RunId),
                        resumed => onEvent(new StudyRunStarted(run.RunId, resumed)),
                        progress => onEvent(new StudyRunProgressed(run.RunId, progress)),
                        () => onEvent(new StudyRunEvaluating(run.RunId)),
                        cancellation);
                    if (record is null)
                    {
                        lock (gate) cancelled = true;
                        return;
                    }
                    lock (gate)
                    {
                        using (var store = StudyStore.Open(_folder)) store.Add(record);
                    }
                    onEvent(new StudyRunFinished(record));
                }
                catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
                {
                    lock (gate) cancelled = true;
                    return;
                }
                catch (Exception ex)
                {
                    lock (gate) failure ??= new StudyRunException(run.RunId, RunFolder(_folder, run.RunId), ex);
                    return;
                }
            }
        }
        var workers = Enumerable.Range(0, Math.Min(_options.Jobs, pending.Count)).Select(_ => new Thread(Worker) { IsBackground = true }).ToList();
        foreach (var worker in workers) worker.Start();
        foreach (var worker in workers) worker.Join();
        if (failure is not null) throw failure;
        return !cancelled && !cancellation.IsCancellationRequested;
    }

    private static PlannedRun WithSubset(PlannedRun run, string pattern) => run with
    {
        Config = run.Config with
        {
            Data = run.Config.Data with { Dataset = "stream", TrainSubset = null, Sources = [new WebDatasetSourceConfig { Shards = pattern }] },
        },
    };
}
