using System.Diagnostics;
using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Evaluation.Suites;
using ClipLab.Models;
using ClipLab.Runtime;
using ClipLab.Runtime.Distributed;
using ClipLab.Text;
using ClipLab.Training.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// The CLIP training loop: AdamW or Adafactor (<c>training.optimizer</c>) with decoupled weight decay on weights only, linear warm-up then cosine
/// decay, gradient-norm clipping, a budget in samples seen, epochs or GFLOPs, periodic atomic checkpoints and
/// metrics, and optionally an evaluation suite every <c>evaluation.everySamples</c> samples (logged under kind
/// <c>eval</c>). What a step computes is the <see cref="TrainingStrategy"/>'s (CLIP, SLIP, FLIP, CLIP+Data-Aug,
/// with the CLIP or SigLIP loss), optionally over micro-batches (<see cref="GradientAccumulation"/>).
/// A run is a folder; constructing a trainer over a folder that holds checkpoints with <c>resume</c>
/// continues that run exactly where its last checkpoint left it. Under an MPI launcher the run is trained by N
/// data-parallel ranks (see docs/distributed.md).
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly RunConfig _config;
    private readonly string _runDirectory;
    private readonly TrainingBatches _data;
    private readonly ClipModel _model;
    private readonly IOptimizer _optimizer;
    private readonly TrainingBudget _budget;
    private readonly CosineSchedule _schedule;
    private TrainingState _state;
    private long _lastCheckpointStep = -1;
    private readonly TrainingStrategy _strategy;
    private readonly TrainingHealth _health;
    // Changes made on resume, logged to metrics.jsonl when the run starts.
    private IReadOnlyList<ConfigChange> _configChanges;
    private readonly Device _device;
    private readonly MixedPrecisionModel? _mixed;
    // Data parallelism: the ranks of the job (one without MPI), timed for the communication share.
    private readonly TimedCommunicator _communicator;
    private readonly GradientAllReduce _gradients;

    /// <summary>
    /// Prepares a run in <paramref name="runDirectory"/> as the only run of this process: opens the folder (see
    /// <see cref="RunFolder.Open"/>), applies the run's <see cref="TorchProcessSettings"/> (threads, seed), then prepares
    /// the run. With <paramref name="resume"/>, loads its latest checkpoint and continues with the checkpoint's config,
    /// changed by edits of the run folder's config.json and by <paramref name="settings"/> (<c>key=value</c>) where
    /// <see cref="ResumeOverrides"/> allows it.
    /// </summary>
    /// <exception cref="ConfigException">The config is invalid, or a change on resume is not allowed.</exception>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="resume"/> is false, or holds none and it is true.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume is incomplete or damaged.</exception>
    public Trainer(RunConfig config, string runDirectory, bool resume = false, TextWriter? log = null, IReadOnlyList<string>? settings = null)
        : this(OpenWithProcessSettings(config, runDirectory, resume, settings), log)
    {
    }

    /// <summary>
    /// Prepares the run of <paramref name="folder"/>. The process's torch settings are the caller's (see
    /// <see cref="TorchProcessSettings"/>): the global generator's state decides a new run's initial weights.
    /// With a <paramref name="communicator"/> of N ranks (see <see cref="DistributedLaunch"/>) this process is one rank
    /// of a data-parallel job: it trains on its own slice of every global batch of <c>training.batchSize</c>, the
    /// gradients are averaged over the ranks, and rank 0 alone writes the run folder.
    /// </summary>
    /// <exception cref="ConfigException">The budget cannot be planned for this data, or the batch does not split over the ranks.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume is incomplete or damaged.</exception>
    public Trainer(RunFolder folder, TextWriter? log = null, ICommunicator? communicator = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        log ??= TextWriter.Null;
        _runDirectory = folder.Directory;
        _configChanges = folder.Changes;
        _communicator = new TimedCommunicator(communicator ?? SingleProcessCommunicator.Instance);
        _gradients = new GradientAllReduce(_communicator);
        // Refused on every rank alike, before anything is opened or written.
        TrainingBudget.PerRankBatch(folder.Config.Training, _communicator.Size);
        // Opened before anything is written, so that an unusable device leaves no run folder behind.
        _device = ComputeDevice.Open(folder.Config.Runtime.Device);
        Tokenizer = folder.Config.Tokenizer.Load();
        var modelConfig = folder.Config.ResolveModel(Tokenizer);
        _config = folder.Config.Resolved(modelConfig);
        _strategy = TrainingStrategy.Create(_config.Training, modelConfig, _communicator);

        log.WriteLine($"Preparing training data ({_config.Data.Dataset}) at {modelConfig.Vision.ImageSize} px ...");
        _data = TrainingData.Open(_config, modelConfig, Tokenizer, _strategy.ExtraViews, _communicator.Rank, _communicator.Size);
        // Epochs are counted against the unique samples; an open-ended stream counts against its epoch length.
        int datasetSize = _data.UniqueSamples ?? (int)Math.Min(_config.Data.SamplesPerEpoch ?? 0, int.MaxValue);

        _model = ModelRegistry.Create(modelConfig);
        if (_device.type != DeviceType.CPU) _model.to(_device);
        if (_config.Training.ActivationCheckpointing) _model.SetActivationCheckpointing(true);
        _optimizer = Optimizers.Create(_config.Training, _model.ParameterGroups().Select(g => (g.Parameter, g.Decay)));

        _budget = TrainingBudget.Plan(_config.Training, _strategy.Cost, datasetSize, _config.Model, _strategy.Name);
        _schedule = _budget.Schedule(_config.Training);
        _state = new TrainingState { TotalSteps = _budget.TotalSteps, DatasetSize = datasetSize };
        _health = new TrainingHealth(_config.Training, _strategy.Objective.Name);
        if (folder.Checkpoint is not null)
        {
            _state = folder.Restore(_model, _optimizer, _data, _budget, _config.Training, log);
            LastCheckpoint = folder.Checkpoint;
            _lastCheckpointStep = _state.Step;
        }
        if (_config.Training.Precision == Precision.Bf16)
        {
            _mixed = new MixedPrecisionModel(_model, _device);
            if (_config.Training.ActivationCheckpointing) _mixed.Working.SetActivationCheckpointing(true);
        }
        if (!WritesRunFolder) return;
        Directory.CreateDirectory(_runDirectory);
        ConfigJson.Save(_config, Path.Combine(_runDirectory, Checkpoint.ConfigFile));
    }

    /// <summary>Whether this process writes the run folder (config, metrics, TensorBoard, checkpoints): rank 0 of the job.</summary>
    public bool WritesRunFolder => _communicator.Rank == 0;

    /// <summary>The number of data-parallel ranks training this run (1 without MPI).</summary>
    public int Ranks => _communicator.Size;

    private static RunFolder OpenWithProcessSettings(RunConfig config, string runDirectory, bool resume, IReadOnlyList<string>? settings)
    {
        var folder = RunFolder.Open(config, runDirectory, resume, settings);
        TorchProcessSettings.For(folder.Config.Training.Threads, folder.Config.Training.Seed).Apply();
        return folder;
    }

    /// <summary>The model name recorded for runs whose config describes the model inline.</summary>
    public const string CustomModelName = "custom";

    /// <summary>The tokenizer of the run.</summary>
    public ClipTokenizer Tokenizer { get; }

    /// <summary>The model being trained.</summary>
    public ClipModel Model => _model;

    /// <summary>
    /// The model that computes: <see cref="Model"/> itself in fp32, its bf16 working copy in mixed precision (use it to
    /// evaluate the run in the precision it trained in).
    /// </summary>
    public ClipModel ComputeModel => _mixed?.Working ?? _model;

    /// <summary>The device the run computes on.</summary>
    public Device Device => _device;

    /// <summary>The training strategy of the run (what a step computes and what it costs).</summary>
    public TrainingStrategy Strategy => _strategy;

    /// <summary>The run config with the model fully resolved (as written to <c>config.json</c>).</summary>
    public RunConfig Config => _config;

    /// <summary>Steps completed so far.</summary>
    public long Step => _state.Step;

    /// <summary>Steps planned.</summary>
    public long TotalSteps => _state.TotalSteps;

    /// <summary>The last checkpoint written or resumed from.</summary>
    public string? LastCheckpoint { get; private set; }

    /// <summary>
    /// Trains until the budget is spent or <paramref name="cancellation"/> fires (then a checkpoint is
    /// written so nothing is lost). <paramref name="onProgress"/> is called after every step.
    /// </summary>
    /// <exception cref="TrainingDivergedException">The loss, the gradients or the weights became NaN or infinite, or the run
    /// collapsed (see <see cref="TrainingHealth"/>); the last checkpoint written is intact.</exception>
    public TrainingSummary Run(Action<TrainingProgress>? onProgress = null, CancellationToken cancellation = default)
    {
        using var metrics = WritesRunFolder ? new MetricsLog(_runDirectory, resumeStep: _state.Step) : null;
        ComputeModel.train();
        WriteConfigChanges(metrics);
        var clock = new TrainingClock(_state.WallSeconds);
        long? evaluateEvery = _config.Evaluation.EverySamples;
        var evaluationOptions = evaluateEvery is null ? null : PeriodicSuite.Options(_config.Evaluation);
        double lastLoss = _state.LastLoss;
        bool completed = true;
        while (_state.Step < _state.TotalSteps)
        {
            if (StopAgreed(cancellation)) { completed = false; break; }
            clock.StartStep();
            var step = TrainStep();
            lastLoss = step.Loss.Total;
            long samplesBefore = _state.SamplesSeen;
            _state = _data.Record(_state) with
            {
                Step = _state.Step + 1,
                SamplesSeen = _state.SamplesSeen + _budget.BatchSize,
                LastLoss = lastLoss,
                WallSeconds = clock.WallSeconds,
            };
            clock.EndStep(_budget.BatchSize);
            bool logDue = _state.Step % _config.Training.LogEverySteps == 0 || _state.Step == _state.TotalSteps;
            // Checked before every log line and every checkpoint, so a checkpoint never holds one rank's diverged weights.
            if (logDue || _state.Step % _config.Training.CheckpointEverySteps == 0)
                ParameterChecksum.Verify(_model.parameters(), _communicator, _state.Step);
            if (logDue) metrics?.Write("train", _state.Step, MetricsRow(step, clock).ToValues());
            // Evaluate after the step whose samples reach (or pass) a multiple of everySamples. The decision is a
            // function of the samples seen alone, and it runs before this step's checkpoint: a run killed in between
            // resumes from an earlier checkpoint, whose metrics log no longer holds this evaluation, and repeats both.
            if (evaluateEvery is long every && _state.SamplesSeen / every > samplesBefore / every && metrics is not null)
                clock.Evaluating(() => Evaluate(metrics!, evaluationOptions!));
            if (_state.Step % _config.Training.CheckpointEverySteps == 0 && _state.Step < _state.TotalSteps)
                SaveCheckpoint();
            var eta = TimeSpan.FromSeconds((_state.TotalSteps - _state.Step) * _budget.BatchSize / Math.Max(clock.RecentRate, 1e-9));
            onProgress?.Invoke(new TrainingProgress(_state.Step, _state.TotalSteps, _state.SamplesSeen, lastLoss, step.LearningRate, clock.RecentRate, eta));
        }
        _state = _state with { WallSeconds = clock.WallSeconds };
        if (_lastCheckpointStep != _state.Step) SaveCheckpoint();
        return new TrainingSummary(_state.Step, _state.SamplesSeen, Epochs(_state.SamplesSeen), _budget.DatasetSize, lastLoss,
            _state.WallSeconds, clock.SessionRate, LastCheckpoint ?? "", completed,
            _budget.GflopsPerSample(_state.Step, _state.SamplesSeen), _data.BadSamples, _data.BadSampleSummary, (long)Math.Round(UsableSamples),
            _strategy.Cost.PaperConventionFlopsPerSample / 1e9);
    }

    /// <summary>What one optimizer step measured.</summary>
    private sealed record StepOutcome(StepLossValues Loss, double GradNorm, double LearningRate);

    /// <summary>
    /// One optimizer step on the next batch: forward and backward (over micro-batches), gradient clipping, the health
    /// checks, the update and the logit-scale clamp.
    /// </summary>
    private StepOutcome TrainStep()
    {
        var training = _config.Training;
        double learningRate = _schedule.At(_state.Step);
        using var scope = torch.NewDisposeScope();
        var batch = _data.Next().To(_device);
        var inputs = _strategy.Prepare(batch, _budget.IsFinalPhase(_state.Step));
        var loss = GradientAccumulation.Backward(ComputeModel, _strategy, inputs, training.AccumulationSteps);
        _mixed?.CopyGradientsToMaster();
        if (_communicator.Size > 1)
        {
            _gradients.Average(_optimizer.Parameters);
            loss = MeanOverRanks(loss);
        }
        AfterBackwardForTests?.Invoke(_state.Step + 1);
        // The norm of all gradients: clipping measures it anyway; without clipping it is measured for the check below.
        double gradNorm = training.GradClipNorm > 0
            ? torch.nn.utils.clip_grad_norm_(_optimizer.Parameters, training.GradClipNorm)
            : TrainingHealth.GradientNorm(_optimizer.Parameters);
        CheckHealth(loss, gradNorm);
        _optimizer.Step(learningRate);
        _optimizer.ZeroGrad();
        _model.ClampLogitScale();
        _mixed?.CopyWeightsToWorking();
        return new StepOutcome(loss, gradNorm, learningRate);
    }

    // Each rank's loss is that of its own rows against the whole batch; their mean is the global batch's loss, the
    // same on every rank, so the health checks below decide alike everywhere.
    private StepLossValues MeanOverRanks(StepLossValues loss)
    {
        using var values = torch.tensor(loss.Terms.Select(t => t.Value).Prepend(loss.Total).ToArray(), dtype: ScalarType.Float64);
        _communicator.AllReduceSum(values);
        var mean = values.data<double>().Select(v => v / _communicator.Size).ToArray();
        return new StepLossValues(mean[0], loss.Terms.Select((t, i) => (t.Name, mean[i + 1])).ToList());
    }

    // A signal may reach the ranks at different steps (or only one of them): all stop together when any asks to.
    private bool StopAgreed(CancellationToken cancellation)
    {
        if (_communicator.Size == 1) return cancellation.IsCancellationRequested;
        using var stop = torch.tensor(cancellation.IsCancellationRequested ? 1L : 0L);
        _communicator.AllReduceSum(stop);
        return stop.ToInt64() > 0;
    }

    // Every check comes before the optimizer step: the weights stay those of the last finite step.
    private void CheckHealth(StepLossValues loss, double gradNorm)
    {
        long step = _state.Step + 1;
        if (!double.IsFinite(loss.Total))
            throw Diverged($"training diverged: the loss became {loss.Total} at step {step:N0}", step);
        if (!double.IsFinite(gradNorm))
            throw Diverged($"training diverged: the gradients became {gradNorm} at step {step:N0} (loss {loss.Total:F4})", step);
        double imageTextLoss = loss.Terms.Where(t => t.Name == _strategy.Objective.Name).Select(t => t.Value).DefaultIfEmpty(loss.Total).First();
        if (_health.Observe(step, imageTextLoss) is string collapse)
            throw Diverged(collapse, _health.FirstCollapsedStep);
    }

    private TrainMetricsRow MetricsRow(StepOutcome step, TrainingClock clock) => new(
        _state.SamplesSeen, Epochs(_state.SamplesSeen), _budget.GflopsSpent(_state.Step), _data.BadSamples, step.Loss.Total,
        step.LearningRate, Math.Exp(_model.LogitScale.ToDouble()), step.GradNorm, clock.RecentRate, _state.WallSeconds,
        Environment.WorkingSet / (1024.0 * 1024.0), _model.LogitBias?.ToDouble(), step.Loss.Terms,
        _communicator.Size > 1 ? clock.ShareOfTraining(_communicator.Seconds) : null);

    // The changes made on resume go to the log once, at the step the run resumed from.
    private void WriteConfigChanges(MetricsLog? metrics)
    {
        foreach (var change in _configChanges)
            metrics?.Write("config_change", _state.Step, new Dictionary<string, object>
            {
                ["key"] = change.Key,
                ["old"] = JsonSerializer.Deserialize<JsonElement>(change.Old),
                ["new"] = JsonSerializer.Deserialize<JsonElement>(change.New),
                ["source"] = change.Source,
            });
        _configChanges = [];
    }

    /// <summary>
    /// Runs the periodic evaluation suite on the current weights and logs every metric under kind <c>eval</c>
    /// (<c>eval/benchmark/task/metric</c> in TensorBoard) at the current step, then puts the model back in training mode.
    /// </summary>
    private void Evaluate(MetricsLog metrics, SuiteOptions options)
    {
        var watch = Stopwatch.StartNew();
        SuiteReport report;
        // The evaluation must leave training exactly as it found it: the same random stream (a run with periodic
        // evaluation trains like one without) and, below, training mode, which BatchNorm towers depend on.
        using (var rng = torch.get_rng_state())
        {
            using (torch.NewDisposeScope())
                report = EvaluationSuiteRunner.Run(ComputeModel, Tokenizer, _config, options);
            torch.set_rng_state(rng);
        }
        ComputeModel.train();
        var values = new Dictionary<string, object>
        {
            ["samples_seen"] = _state.SamplesSeen,
            ["epoch"] = Epochs(_state.SamplesSeen),
            ["suite"] = report.Suite,
            ["seconds"] = watch.Elapsed.TotalSeconds,
        };
        foreach (var (name, value) in report.Metrics()) values[name] = value;
        metrics.Write("eval", _state.Step, values);
    }

    // Epochs are passes over what the data really yields: samples lost in damaged shards or skipped as bad are not in them.
    private double Epochs(long samplesSeen) => _budget.Epochs(samplesSeen, _data.UsableFraction);

    private double UsableSamples => _budget.UsableSamples(_data.UsableFraction);

    private void SaveCheckpoint()
    {
        // A checkpoint must be one a run can continue from: never write one that holds NaN or infinity.
        if (TrainingHealth.FirstNonFinite(_model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))) is string name)
            throw Diverged($"training diverged: parameter {name} holds NaN or infinity after step {_state.Step:N0}, so no checkpoint was written", _state.Step);
        if (!_optimizer.StateIsFinite())
            throw Diverged($"training diverged: the optimizer state holds NaN or infinity after step {_state.Step:N0}, so no checkpoint was written", _state.Step);
        _state = _state with { TorchRngState = Checkpoint.CaptureRngState() };
        if (WritesRunFolder)
            LastCheckpoint = Checkpoint.Save(_runDirectory, _config, _model, _optimizer, _state, _config.Training.KeepCheckpoints);
        _lastCheckpointStep = _state.Step;
    }

    /// <summary>
    /// The exception that stops a diverged or collapsed run: <paramref name="what"/> and what to do, naming the newest
    /// checkpoint written before step <paramref name="firstBadStep"/>.
    /// </summary>
    private TrainingDivergedException Diverged(string what, long firstBadStep)
    {
        var checkpoints = Checkpoint.List(_runDirectory);
        var good = checkpoints.Where(c => c.Step < firstBadStep).Select(c => ((string, long)?)c).LastOrDefault();
        var later = checkpoints.Where(c => c.Step >= firstBadStep).Select(c => Path.GetFileName(c.Folder)).ToList();
        return new TrainingDivergedException($"{what}. {TrainingHealth.Advice(_runDirectory, _config.Training, good, later)}");
    }

    /// <summary>Fault injection for tests: called with the 1-based step after its gradients are computed, before they are checked.</summary>
    internal Action<long>? AfterBackwardForTests { get; set; }

    /// <inheritdoc />
    public void Dispose()
    {
        _optimizer.Dispose();
        _mixed?.Dispose();
        _model.Dispose();
        _data.Dispose();
        _communicator.Dispose();
    }
}
