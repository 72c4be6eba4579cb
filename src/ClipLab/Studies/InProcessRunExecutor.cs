using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Suites;
using ClipLab.IO;
using ClipLab.Training;

namespace ClipLab.Studies;

/// <summary>
/// Runs a study's run in this process: the ordinary <see cref="Trainer"/> in the run folder (resumed from its latest
/// checkpoint when an earlier attempt was interrupted), then the study's evaluation suite, whose flattened metrics
/// (<c>benchmark/task/metric</c>) become the run's row. The row is also written as <c>study-run.json</c> in the run folder.
/// </summary>
public sealed class InProcessRunExecutor : IStudyRunExecutor
{
    /// <summary>File a finished run's row is written to inside its folder.</summary>
    public const string RecordFile = "study-run.json";

    private static readonly JsonSerializerOptions RecordJson = new() { WriteIndented = true };

    private readonly StudyDefinition _study;
    private readonly Func<RunConfig, RunConfig> _adjust;
    private readonly TextWriter _log;

    /// <summary>Creates an executor for <paramref name="study"/>'s runs.</summary>
    /// <param name="study">The study.</param>
    /// <param name="adjust">Applied to each run's config (device, precision, threads of this machine).</param>
    /// <param name="log">Where the trainer's and the evaluation's log lines go.</param>
    public InProcessRunExecutor(StudyDefinition study, Func<RunConfig, RunConfig>? adjust = null, TextWriter? log = null)
    {
        _study = study ?? throw new ArgumentNullException(nameof(study));
        _adjust = adjust ?? (c => c);
        _log = log ?? TextWriter.Null;
    }

    /// <inheritdoc />
    public StudyRunRecord? Execute(PlannedRun run, string runFolder, Action<bool> onStart, Action<TrainingProgress> onProgress, Action onEvaluating,
        CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(onStart);
        ArgumentNullException.ThrowIfNull(onEvaluating);
        bool resume = Directory.Exists(runFolder) && Checkpoint.FindLatest(runFolder) is not null;
        var config = _adjust(run.Config);
        onStart(resume);
        using var trainer = new Trainer(config, runFolder, resume, _log);
        var summary = trainer.Run(onProgress, cancellation);
        if (!summary.Completed) return null;
        onEvaluating();
        var options = SuiteOptionsFor(_study.Section.Evaluation);
        var evaluation = Stopwatch.StartNew();
        var report = EvaluationSuiteRunner.Run(trainer.ComputeModel, trainer.Tokenizer, trainer.Config, options, _log, cancellation);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, value) in report.Metrics()) metrics[name] = value;
        string resolved = ConfigJson.Serialize(trainer.Config with { Runtime = new() });
        var record = new StudyRunRecord(_study.Name, _study.Scale, run.RunId, run.Axes, run.Seed, Hash(resolved), resolved,
            summary.SamplesSeen, summary.DatasetSize, summary.Epochs, summary.GflopsPerSample, summary.Gflops,
            // Training time over every attempt (the trainer keeps it in its checkpoints) plus the evaluation.
            summary.WallSeconds + evaluation.Elapsed.TotalSeconds,
            trainer.Device.ToString(), metrics, summary.PaperGflopsPerSample);
        AtomicFile.WriteAllText(Path.Combine(runFolder, RecordFile), JsonSerializer.Serialize(record, RecordJson));
        return record;
    }

    /// <summary>The suite options of a study's evaluation section.</summary>
    public static SuiteOptions SuiteOptionsFor(StudyEvaluation evaluation)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        var tasks = new List<string>();
        foreach (string task in evaluation.Tasks)
            if (EvaluationTaskNames.TryParse(task, out string canonical) && !tasks.Contains(canonical)) tasks.Add(canonical);
        var benchmarks = evaluation.Benchmarks.ToList();
        return new SuiteOptions(EvaluationSuite.Get(evaluation.Suite), tasks)
        {
            BenchmarkFiles = benchmarks,
            StandardBenchmarks = evaluation.Standard,
            TemplateSet = evaluation.Templates,
            FeatureCacheDirectory = null, // every run has new weights: a cached feature could never be reused
        };
    }

    /// <summary>SHA-256 of a resolved config's JSON, as lowercase hex.</summary>
    public static string Hash(string resolvedConfigJson) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(resolvedConfigJson)));
}
