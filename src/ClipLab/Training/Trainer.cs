using System.Diagnostics;
using System.Text.Json;
using ClipLab.Configuration;
using ClipLab.Data;
using ClipLab.Evaluation.Suites;
using ClipLab.Models;
using ClipLab.Runtime;
using ClipLab.Text;
using ClipLab.Training.Strategies;
using TorchSharp;
using static TorchSharp.torch;

namespace ClipLab.Training;

/// <summary>
/// The CLIP training loop: AdamW with decoupled weight decay on weights only, linear warm-up then cosine
/// decay, gradient-norm clipping, a budget in samples seen, epochs or GFLOPs, periodic atomic checkpoints and
/// metrics, and optionally an evaluation suite every <c>evaluation.everySamples</c> samples (logged under kind
/// <c>eval</c>). What a step computes is the <see cref="TrainingStrategy"/>'s (CLIP, SLIP, FLIP, CLIP+Data-Aug,
/// with the CLIP or SigLIP loss), optionally over micro-batches (<see cref="GradientAccumulation"/>).
/// A run is a folder; constructing a trainer over a folder that holds checkpoints with <c>resume</c>
/// continues that run exactly where its last checkpoint left it.
/// </summary>
public sealed class Trainer : IDisposable
{
    private readonly RunConfig _config;
    private readonly string _runDirectory;
    private readonly TrainingBatches _data;
    private readonly int _datasetSize;
    private readonly ClipModel _model;
    private readonly IOptimizer _optimizer;
    private readonly CosineSchedule _schedule;
    private TrainingState _state;
    private long _lastCheckpointStep = -1;
    private readonly TrainingStrategy _strategy;
    private readonly TrainingHealth _health;
    // Changes made on resume, logged to metrics.jsonl when the run starts.
    private IReadOnlyList<ConfigChange> _configChanges = [];
    private readonly Device _device;
    private readonly MixedPrecisionModel? _mixed;

    /// <summary>
    /// Prepares a run in <paramref name="runDirectory"/>; with <paramref name="resume"/>, loads its latest checkpoint and
    /// continues with the checkpoint's config, changed by edits of the run folder's config.json and by
    /// <paramref name="settings"/> (<c>key=value</c>) where <see cref="ResumeOverrides"/> allows it.
    /// </summary>
    /// <exception cref="ConfigException">The config is invalid, or a change on resume is not allowed.</exception>
    /// <exception cref="InvalidOperationException">The folder already holds a run and <paramref name="resume"/> is false, or holds none and it is true.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume is incomplete or damaged.</exception>
    public Trainer(RunConfig config, string runDirectory, bool resume = false, TextWriter? log = null, IReadOnlyList<string>? settings = null)
    {
        log ??= TextWriter.Null;
        _runDirectory = Path.GetFullPath(runDirectory);
        string? latest = Directory.Exists(_runDirectory) ? Checkpoint.FindLatest(_runDirectory) : null;
        TrainingConfig? savedTraining = null;
        if (resume)
        {
            if (latest is null)
                throw new InvalidOperationException($"nothing to resume: {_runDirectory} holds no checkpoint. Start a new run with --out {_runDirectory}.");
            // A resumed run continues with the config it started with, whatever the caller passes, but for the changes
            // ResumeOverrides allows.
            Checkpoint.Verify(latest, forTraining: true);
            var resumed = ResumeOverrides.Apply(latest, _runDirectory, settings ?? []);
            // The device belongs to the machine the run continues on, not to the checkpoint.
            config = resumed.Config with { Runtime = config.Runtime };
            savedTraining = resumed.Saved.Training;
            _configChanges = resumed.Changes;
        }
        else if (settings is { Count: > 0 })
        {
            throw new ArgumentException("settings change a resumed run; a new run takes its whole config", nameof(settings));
        }
        else if (latest is not null)
        {
            throw new InvalidOperationException($"{_runDirectory} already holds a run (checkpoint {Path.GetFileName(latest)}). " +
                $"Continue it with --resume {_runDirectory}, or choose another --out folder.");
        }
        else
        {
            config = config with
            {
                Data = config.Data.WithAbsolutePaths(Environment.CurrentDirectory),
                // The resolved config always spells the model out; keep whether it came from the registry.
                Model = config.ModelConfig is null ? config.Model : CustomModelName,
            };
        }
        RunConfigValidation.Validate(config);
        // Opened before anything is written, so that an unusable device leaves no run folder behind.
        _device = ComputeDevice.Open(config.Runtime.Device);
        Tokenizer = config.Tokenizer.Load();
        var modelConfig = config.ResolveModel(Tokenizer);
        _config = config.Resolved(modelConfig);
        _strategy = TrainingStrategy.Create(_config.Training, modelConfig);

        int threads = _config.Training.Threads > 0 ? _config.Training.Threads : Environment.ProcessorCount;
        torch.set_num_threads(threads);
        torch.manual_seed(_config.Training.Seed);

        log.WriteLine($"Preparing training data ({_config.Data.Dataset}) at {modelConfig.Vision.ImageSize} px ...");
        _data = TrainingData.Open(_config, modelConfig, Tokenizer, _strategy.ExtraViews);
        // Epochs are counted against the unique samples; an open-ended stream counts against its epoch length.
        _datasetSize = _data.UniqueSamples ?? (int)Math.Min(_config.Data.SamplesPerEpoch ?? 0, int.MaxValue);

        _model = ModelRegistry.Create(modelConfig);
        if (_device.type != DeviceType.CPU) _model.to(_device);
        if (_config.Training.ActivationCheckpointing) _model.SetActivationCheckpointing(true);
        _optimizer = Optimizers.Create(_config.Training, _model.ParameterGroups().Select(g => (g.Parameter, g.Decay)));

        if (_config.Training.Epochs is not null && _datasetSize == 0)
            throw new ConfigException("training.epochs needs a known dataset size: this stream has no manifest and no data.samplesPerEpoch. Use training.samplesSeen instead, or set data.samplesPerEpoch.");
        int batchSize = _config.Training.BatchSize;
        var cost = _strategy.Cost;
        long totalSteps;
        if (_config.Training.BudgetGflops is double budgetGflops)
        {
            totalSteps = cost.StepsWithinBudget(budgetGflops * 1e9, batchSize);
            // A compute budget is a ceiling, so unlike a samples budget it is never rounded up to one batch.
            if (totalSteps < 1)
                throw new ConfigException($"training.budgetGflops {budgetGflops:G4} covers less than one batch of {batchSize}: model " +
                    $"{_config.Model} with strategy {_strategy.Name} costs {cost.FlopsPerSample / 1e9:G4} training GFLOPs per sample. " +
                    "Raise training.budgetGflops or lower training.batchSize.");
        }
        else
        {
            long budget = _config.Training.Epochs is double epochs ? (long)Math.Round(epochs * _datasetSize) : _config.Training.SamplesSeen;
            totalSteps = Math.Max(1, budget / batchSize);
        }
        if (cost.FinalPhaseSamples > 0 && cost.FinalPhaseSteps(batchSize) >= totalSteps)
            throw new ConfigException("training.strategy.unmaskedTuningSamples", cost.FinalPhaseSamples,
                $"fewer samples than the run's {totalSteps * batchSize:N0}, so that some steps train masked");
        _schedule = new CosineSchedule(_config.Training.LearningRate, _config.Training.WarmupSteps, totalSteps,
            _config.Training.MinLearningRateRatio);
        _state = new TrainingState { TotalSteps = totalSteps, DatasetSize = _datasetSize };
        _health = new TrainingHealth(_config.Training, _strategy.Objective.Name);

        if (resume)
        {
            var saved = Checkpoint.LoadState(latest!);
            if (saved.DatasetSize != _datasetSize)
                throw new InvalidDataException($"checkpoint {latest} was trained on {saved.DatasetSize} samples but the data now has {_datasetSize}; the data changed since the run started.");
            Checkpoint.LoadInto(latest!, _model, _optimizer);
            if (saved.Step >= totalSteps && _configChanges.Any(c => ResumeOverrides.BudgetKeys.Contains(c.Key)))
                throw new ConfigException($"the changed budget ends the run at step {totalSteps:N0}, but checkpoint {latest} is at step {saved.Step:N0}; " +
                    $"give a budget beyond {saved.SamplesSeen:N0} samples.");
            foreach (var change in _configChanges) log.WriteLine($"Changed on resume: {change}");
            var old = savedTraining!;
            double before = new CosineSchedule(old.LearningRate, old.WarmupSteps, saved.TotalSteps, old.MinLearningRateRatio).At(saved.Step);
            double after = _schedule.At(saved.Step);
            if (before != after) log.WriteLine($"Learning rate at step {saved.Step:N0}: {before:G4} -> {after:G4}.");
            _data.Restore(saved);
            Checkpoint.RestoreRngState(saved.TorchRngState);
            _state = saved with { TotalSteps = totalSteps };
            LastCheckpoint = latest;
            _lastCheckpointStep = saved.Step;
            log.WriteLine($"Resuming {_runDirectory} from step {saved.Step} of {totalSteps} ({saved.SamplesSeen:N0} samples seen).");
        }
        if (_config.Training.Precision == Precision.Bf16)
        {
            _mixed = new MixedPrecisionModel(_model, _device);
            if (_config.Training.ActivationCheckpointing) _mixed.Working.SetActivationCheckpointing(true);
        }
        Directory.CreateDirectory(_runDirectory);
        ConfigJson.Save(_config, Path.Combine(_runDirectory, Checkpoint.ConfigFile));
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
        var training = _config.Training;
        using var metrics = new MetricsLog(_runDirectory, resumeStep: _state.Step);
        ComputeModel.train();
        var session = Stopwatch.StartNew();
        // Time spent in periodic evaluations, taken out of the training wall clock and samples/s.
        var evaluating = new Stopwatch();
        long? evaluateEvery = _config.Evaluation.EverySamples;
        var evaluationOptions = evaluateEvery is null ? null : PeriodicSuite.Options(_config.Evaluation);
        foreach (var change in _configChanges)
            metrics.Write("config_change", _state.Step, new Dictionary<string, object>
            {
                ["key"] = change.Key,
                ["old"] = JsonSerializer.Deserialize<JsonElement>(change.Old),
                ["new"] = JsonSerializer.Deserialize<JsonElement>(change.New),
                ["source"] = change.Source,
            });
        _configChanges = [];
        double priorWall = _state.WallSeconds;
        long sessionSamples = 0;
        double recentRate = 0;
        double lastLoss = _state.LastLoss;
        bool completed = true;

        while (_state.Step < _state.TotalSteps)
        {
            if (cancellation.IsCancellationRequested) { completed = false; break; }
            long stepStart = session.ElapsedTicks;
            double learningRate = _schedule.At(_state.Step);
            double gradNorm;
            StepLossValues loss;
            using (var scope = torch.NewDisposeScope())
            {
                var batch = _data.Next().To(_device);
                bool finalPhase = _strategy.Cost.IsFinalPhase(_state.Step, _state.TotalSteps, training.BatchSize);
                var inputs = _strategy.Prepare(batch, finalPhase);
                loss = GradientAccumulation.Backward(ComputeModel, _strategy, inputs, training.AccumulationSteps);
                _mixed?.CopyGradientsToMaster();
                AfterBackwardForTests?.Invoke(_state.Step + 1);
                // The norm of all gradients: clipping measures it anyway; without clipping it is measured for the check below.
                gradNorm = training.GradClipNorm > 0
                    ? torch.nn.utils.clip_grad_norm_(_optimizer.Parameters, training.GradClipNorm)
                    : TrainingHealth.GradientNorm(_optimizer.Parameters);
                lastLoss = loss.Total;
                // Both checks come before the optimizer step: the weights stay those of the last finite step.
                if (!double.IsFinite(lastLoss))
                    throw Diverged($"training diverged: the loss became {lastLoss} at step {_state.Step + 1:N0}", _state.Step + 1);
                if (!double.IsFinite(gradNorm))
                    throw Diverged($"training diverged: the gradients became {gradNorm} at step {_state.Step + 1:N0} (loss {lastLoss:F4})", _state.Step + 1);
                double imageTextLoss = loss.Terms.Where(t => t.Name == _strategy.Objective.Name).Select(t => t.Value).DefaultIfEmpty(lastLoss).First();
                if (_health.Observe(_state.Step + 1, imageTextLoss) is string collapse)
                    throw Diverged(collapse, _health.FirstCollapsedStep);
                _optimizer.Step(learningRate);
                _optimizer.ZeroGrad();
                _model.ClampLogitScale();
                _mixed?.CopyWeightsToWorking();
            }
            long samplesBefore = _state.SamplesSeen;
            _state = _data.Record(_state) with
            {
                Step = _state.Step + 1,
                SamplesSeen = _state.SamplesSeen + training.BatchSize,
                LastLoss = lastLoss,
                WallSeconds = priorWall + (session.Elapsed - evaluating.Elapsed).TotalSeconds,
            };
            sessionSamples += training.BatchSize;
            double stepSeconds = (double)(session.ElapsedTicks - stepStart) / Stopwatch.Frequency;
            double rate = training.BatchSize / Math.Max(stepSeconds, 1e-9);
            recentRate = recentRate == 0 ? rate : 0.9 * recentRate + 0.1 * rate;

            if (_state.Step % training.LogEverySteps == 0 || _state.Step == _state.TotalSteps)
            {
                var values = new Dictionary<string, object>
                {
                    ["samples_seen"] = _state.SamplesSeen,
                    ["epoch"] = Epochs(_state.SamplesSeen),
                    ["gflops"] = GflopsSpent(_state.Step),
                    ["bad_samples"] = _data.BadSamples,
                    ["loss"] = lastLoss,
                    ["lr"] = learningRate,
                    ["logit_scale"] = Math.Exp(_model.LogitScale.ToDouble()),
                    ["grad_norm"] = gradNorm,
                    ["samples_per_second"] = recentRate,
                    ["wall_seconds"] = _state.WallSeconds,
                    // Resident memory, so a leak shows in the run's own log (docs/benchmarks.md uses it).
                    ["rss_mb"] = Environment.WorkingSet / (1024.0 * 1024.0),
                };
                if (_model.LogitBias is not null) values["logit_bias"] = _model.LogitBias.ToDouble();
                // A strategy with several loss terms (SLIP) logs each: loss_clip (or loss_siglip), loss_simclr.
                foreach (var (name, value) in loss.Terms) values["loss_" + name] = value;
                metrics.Write("train", _state.Step, values);
            }
            // Evaluate after the step whose samples reach (or pass) a multiple of everySamples. The decision is a
            // function of the samples seen alone, and it runs before this step's checkpoint: a run killed in between
            // resumes from an earlier checkpoint, whose metrics log no longer holds this evaluation, and repeats both.
            if (evaluateEvery is long every && _state.SamplesSeen / every > samplesBefore / every)
            {
                evaluating.Start();
                Evaluate(metrics, evaluationOptions!);
                evaluating.Stop();
            }
            if (_state.Step % training.CheckpointEverySteps == 0 && _state.Step < _state.TotalSteps)
                SaveCheckpoint();
            var eta = TimeSpan.FromSeconds((_state.TotalSteps - _state.Step) * training.BatchSize / Math.Max(recentRate, 1e-9));
            onProgress?.Invoke(new TrainingProgress(_state.Step, _state.TotalSteps, _state.SamplesSeen, lastLoss, learningRate, recentRate, eta));
        }
        _state = _state with { WallSeconds = priorWall + (session.Elapsed - evaluating.Elapsed).TotalSeconds };
        if (_lastCheckpointStep != _state.Step) SaveCheckpoint();
        double sessionSeconds = (session.Elapsed - evaluating.Elapsed).TotalSeconds;
        // The average over the run: with FLIP's unmasked tuning the cost per sample changes at the end.
        double gflopsPerSample = _state.SamplesSeen > 0 ? GflopsSpent(_state.Step) / _state.SamplesSeen : _strategy.Cost.FlopsPerSample / 1e9;
        return new TrainingSummary(_state.Step, _state.SamplesSeen, Epochs(_state.SamplesSeen), _datasetSize, lastLoss,
            _state.WallSeconds, sessionSamples / Math.Max(sessionSeconds, 1e-9), LastCheckpoint!, completed,
            gflopsPerSample, _data.BadSamples, _data.BadSampleSummary, (long)Math.Round(UsableSamples),
            _strategy.Cost.PaperConventionFlopsPerSample / 1e9);
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
    private double Epochs(long samplesSeen) => UsableSamples > 0 ? samplesSeen / UsableSamples : double.NaN;

    private double UsableSamples => _datasetSize * _data.UsableFraction;

    private double GflopsSpent(long steps) => _strategy.Cost.FlopsSpent(steps, _state.TotalSteps, _config.Training.BatchSize) / 1e9;

    private void SaveCheckpoint()
    {
        // A checkpoint must be one a run can continue from: never write one that holds NaN or infinity.
        if (TrainingHealth.FirstNonFinite(_model.named_parameters().Select(p => (p.name, (Tensor)p.parameter))) is string name)
            throw Diverged($"training diverged: parameter {name} holds NaN or infinity after step {_state.Step:N0}, so no checkpoint was written", _state.Step);
        if (!_optimizer.StateIsFinite())
            throw Diverged($"training diverged: the optimizer state holds NaN or infinity after step {_state.Step:N0}, so no checkpoint was written", _state.Step);
        _state = _state with { TorchRngState = Checkpoint.CaptureRngState() };
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
    }
}
