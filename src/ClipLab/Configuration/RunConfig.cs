using ClipLab.Models;
using ClipLab.Runtime;
using ClipLab.Text;

namespace ClipLab.Configuration;

/// <summary>
/// Everything that defines a training run. Serialised as JSON (camelCase); the resolved copy written
/// beside a run's checkpoints holds the full model config, so a run can be rebuilt from it alone.
/// </summary>
public sealed record RunConfig
{
    /// <summary>Registered CLIP model name; ignored when <see cref="ModelConfig"/> is set (a run's resolved config then records "custom").</summary>
    public string Model { get; init; } = "clip-vit-nano-p8-32";

    /// <summary>A full model description, overriding <see cref="Model"/>.</summary>
    public ClipModelConfig? ModelConfig { get; init; }

    /// <summary>Tokenizer settings.</summary>
    public TokenizerConfig Tokenizer { get; init; } = new();

    /// <summary>Training data.</summary>
    public DataConfig Data { get; init; } = new();

    /// <summary>Optimisation, schedule, budget and checkpointing.</summary>
    public TrainingConfig Training { get; init; } = new();

    /// <summary>Evaluation after training, and periodically during it.</summary>
    public EvaluationConfig Evaluation { get; init; } = new();

    /// <summary>Where the run computes (<c>runtime.device</c>).</summary>
    public RuntimeConfig Runtime { get; init; } = new();

    /// <summary>
    /// The model config this run trains: <see cref="ModelConfig"/> or the registered <see cref="Model"/>, with
    /// the text tower's vocabulary, context length and special ids taken from <paramref name="tokenizer"/>
    /// (the tokenizer defines them; a mismatch would index outside the embedding table), and with the parts the
    /// training needs: the SigLIP logit bias (initialised with SigLIP's t′ = ln 10 and b = −10 unless the model
    /// config sets <c>initLogitBias</c>) and SLIP's SimCLR head (shaped by the <c>slip</c> strategy's settings).
    /// </summary>
    public ClipModelConfig ResolveModel(ClipTokenizer tokenizer)
    {
        var model = ModelConfig ?? ModelRegistry.GetClip(Model);
        model = model with
        {
            Text = model.Text with
            {
                VocabSize = tokenizer.VocabSize,
                ContextLength = tokenizer.ContextLength,
                EndOfTextId = tokenizer.EndOfTextId,
                PadId = tokenizer.PadId,
            },
        };
        if (Training.Loss is SigLipLossConfig && model.InitLogitBias is null)
            model = model with { InitLogitScale = SigLipLossConfig.InitLogitScale, InitLogitBias = SigLipLossConfig.InitLogitBias };
        if (Training.Strategy is SlipStrategyConfig slip && model.SimClrHead is null)
            model = model with { SimClrHead = slip.Head };
        return model;
    }

    /// <summary>
    /// This config as a run records it: <paramref name="model"/> (from <see cref="ResolveModel"/>) spelled out, so the
    /// run's <c>config.json</c> says everything it used (the strategy record already holds its settings with their defaults).
    /// </summary>
    public RunConfig Resolved(ClipModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var training = Training;
        if (training.Optimizer == OptimizerNames.Adafactor && training.Adafactor is null)
            training = training with { Adafactor = new AdafactorConfig() };
        return this with { ModelConfig = model, Training = training };
    }

    /// <summary>
    /// This config with the strategy named <paramref name="name"/> (<c>--strategy NAME</c>): the config's own record when it
    /// already is that strategy, else that strategy with its defaults, so switching never carries another strategy's
    /// settings along. Switching to <c>clip-aug</c> moves an augmenting <c>data.augmentation</c> into its record, the one
    /// place that strategy takes its pipeline from.
    /// </summary>
    /// <exception cref="ConfigException">Unknown name; the message lists the valid ones.</exception>
    public RunConfig WithStrategy(string name)
    {
        if (Training.Strategy.Name == name) return this;
        var strategy = StrategyConfig.Named(name);
        var data = Data;
        if (strategy is ClipAugStrategyConfig clipAug && data.Augmentation != "none")
        {
            if (!ClipAugStrategyConfig.NonAugmenting.Contains(data.Augmentation)) strategy = clipAug with { Augmentation = data.Augmentation };
            data = data with { Augmentation = "none" };
        }
        return this with { Data = data, Training = Training with { Strategy = strategy } };
    }

    /// <summary>This config with the loss named <paramref name="name"/> (<c>--loss NAME</c>), keeping the config's own record when it already is that loss.</summary>
    /// <exception cref="ConfigException">Unknown name; the message lists the valid ones.</exception>
    public RunConfig WithLoss(string name) =>
        Training.Loss.Name == name ? this : this with { Training = Training with { Loss = LossConfig.Named(name) } };

    /// <summary>Checks every section; throws <see cref="ConfigException"/> naming the key and the valid values.</summary>
    public void Validate()
    {
        if (ModelConfig is null && !ModelRegistry.Entries.Any(e => e.Kind == ModelKind.Clip && e.Name == Model))
            throw new ConfigException("model", Model,
                "one of: " + string.Join(", ", ModelRegistry.Entries.Where(e => e.Kind == ModelKind.Clip).Select(e => e.Name)));
        ConfigException.Wrap("modelConfig", () => ModelConfig?.Validate());
        Tokenizer.Validate();
        Data.Validate();
        Training.Validate();
        Evaluation.Validate();
        Runtime.Validate();
        ValidateStrategy(ModelConfig ?? ModelRegistry.GetClip(Model));
    }

    /// <summary>Checks that the strategy, the loss, the model and the data fit together.</summary>
    private void ValidateStrategy(ClipModelConfig model)
    {
        string modelName = ModelConfig is null ? $"model {Model}" : "modelConfig";
        Training.Strategy.ValidateFor(model, modelName, Data);
        if (model.SimClrHead is not null && Training.Strategy is not SlipStrategyConfig)
            throw new ConfigException($"modelConfig.simClrHead is set but training.strategy is \"{Training.Strategy.Name}\": only SLIP trains that head. Remove it, or use strategy \"slip\".");
        if (model.InitLogitBias is not null && Training.Loss is not SigLipLossConfig)
            throw new ConfigException($"modelConfig.initLogitBias is set but training.loss is \"{Training.Loss.Name}\", which has no bias; remove it, or use loss \"siglip\".");
    }
}

/// <summary>Tokenizer settings.</summary>
public sealed record TokenizerConfig
{
    /// <summary>A SentencePiece .model file; null means the one ClipLab ships (8k vocabulary).</summary>
    public string? Path { get; init; }

    /// <summary>Tokens per caption, including the end-of-text token (the paper uses 16).</summary>
    public int ContextLength { get; init; } = 16;

    /// <summary>Loads the configured tokenizer (the shipped one when <see cref="Path"/> is null).</summary>
    public ClipTokenizer Load() => Path is null ? ClipTokenizer.LoadDefault(ContextLength) : ClipTokenizer.Load(Path, ContextLength);

    internal void Validate()
    {
        if (ContextLength < 2 || ContextLength > 1024)
            throw new ConfigException("tokenizer.contextLength", ContextLength, "an integer from 2 to 1024");
        if (Path is not null && !File.Exists(Path))
            throw new ConfigException("tokenizer.path", Path, "an existing SentencePiece .model file (or omit it for the shipped one)");
    }
}

/// <summary>Where training pairs come from.</summary>
public sealed record DataConfig
{
    /// <summary>
    /// Kinds of training data: <c>fashion-mnist</c> keeps Fashion-MNIST as tensors in memory (fastest; augmentation
    /// runs on the stored images); <c>stream</c> reads <see cref="Sources"/> through the parallel loader.
    /// </summary>
    public static readonly IReadOnlyList<string> Datasets = new[] { "fashion-mnist", "stream" };

    /// <summary>Dataset kind; one of <see cref="Datasets"/>.</summary>
    public string Dataset { get; init; } = "fashion-mnist";

    /// <summary>Streaming sources (with <c>dataset: "stream"</c>), mixed by weight.</summary>
    public IReadOnlyList<SourceConfig> Sources { get; init; } = Array.Empty<SourceConfig>();

    /// <summary>Image pipeline for training: a preset name (<c>none</c>, <c>crop-flip</c>, <c>randaug</c>, <c>stacked-randaug</c>, …) or a spec such as <c>resize(72)|random_crop(64)|flip|value_range(-1,1)</c>.</summary>
    public string Augmentation { get; init; } = "none";

    /// <summary>Loader threads that decode and augment (stream only).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Batches each loader thread may prepare ahead (bounds memory).</summary>
    public int PrefetchBatches { get; init; } = 2;

    /// <summary>WebDataset sample shuffle buffer (0 = off).</summary>
    public int ShuffleBuffer { get; init; } = 1000;

    /// <summary>Sample shards with replacement (an endless stream; set <see cref="SamplesPerEpoch"/>).</summary>
    public bool Resampled { get; init; }

    /// <summary>Explicit epoch length in samples (like open_clip's --train-num-samples).</summary>
    public long? SamplesPerEpoch { get; init; }

    /// <summary>Largest tolerated fraction of bad samples before the run stops.</summary>
    public double MaxBadFraction { get; init; } = 0.01;

    /// <summary>Folder of the dataset's files; null means the Debian package's folder.</summary>
    public string? Root { get; init; }

    /// <summary>Seed of the caption generator (captions are a pure function of it and the image).</summary>
    public ulong CaptionSeed { get; init; } = 1234;

    /// <summary>Captions per training image (each caption is one training sample).</summary>
    public int CaptionsPerImage { get; init; } = 1;

    /// <summary>
    /// Train on a random subset of N unique training images (null = all). The subset is a pure function of
    /// <see cref="SubsetSeed"/>, and subsets of one seed are nested: the N images of a smaller subset are all in a larger one.
    /// For streamed data (one source) it is drawn by the data area's <c>SubsetSource</c>: exactly N of a CSV's rows, N on average of
    /// WebDataset shards (whose manifests give the total).
    /// </summary>
    public int? TrainSubset { get; init; }

    /// <summary>Seed that draws the <see cref="TrainSubset"/> (independent of the training seed, so runs of several seeds share their data).</summary>
    public int SubsetSeed { get; init; }

    /// <summary>This config with every source's paths made absolute against <paramref name="baseDirectory"/>.</summary>
    public DataConfig WithAbsolutePaths(string baseDirectory) =>
        this with { Sources = Sources.Select(s => s.WithAbsolutePaths(baseDirectory)).ToList(), Root = Root is null ? null : Path.GetFullPath(Root, baseDirectory) };

    internal void Validate()
    {
        if (!Datasets.Contains(Dataset))
            throw new ConfigException("data.dataset", Dataset, "one of: " + string.Join(", ", Datasets));
        if (Dataset == "stream" && Sources.Count == 0)
            throw new ConfigException("data.sources", "[]", $"at least one source ({string.Join(", ", ConfigTypeNames.Of<SourceConfig>())}) when data.dataset is \"stream\"");
        if (Dataset != "stream" && Sources.Count > 0)
            throw new ConfigException("data.dataset", Dataset, "\"stream\" when data.sources is given");
        if (Dataset == "stream" && TrainSubset is not null && Sources.Count > 1)
            throw new ConfigException("data.trainSubset", TrainSubset, "null with several data.sources (a subset is drawn from one source: " +
                "give one source, or write the subset as shards with `cliplab data filter`)");
        if (Dataset == "stream" && TrainSubset is not null && (Resampled || SamplesPerEpoch is not null))
            throw new ConfigException("data.trainSubset", TrainSubset, "null with data.resampled or data.samplesPerEpoch (the subset fixes the epoch: " +
                "one pass over its samples); drop one of them");
        if (string.IsNullOrWhiteSpace(Augmentation))
            throw new ConfigException("data.augmentation", Augmentation, "a preset (none, crop-flip, randaug, stacked-randaug, ...) or a pipeline spec");
        if (Workers < 1 || Workers > 64) throw new ConfigException("data.workers", Workers, "an integer from 1 to 64");
        if (PrefetchBatches < 1) throw new ConfigException("data.prefetchBatches", PrefetchBatches, "a positive integer");
        if (ShuffleBuffer < 0) throw new ConfigException("data.shuffleBuffer", ShuffleBuffer, "0 (off) or a positive number of samples");
        if (Resampled && SamplesPerEpoch is null) throw new ConfigException("data.samplesPerEpoch", null, "a number of samples when data.resampled is true (a resampled stream has no natural end)");
        if (SamplesPerEpoch is < 1) throw new ConfigException("data.samplesPerEpoch", SamplesPerEpoch, "a positive number, or null");
        if (MaxBadFraction < 0 || MaxBadFraction > 1) throw new ConfigException("data.maxBadFraction", MaxBadFraction, "a fraction in [0, 1]");
        if (CaptionsPerImage < 1 || CaptionsPerImage > 100)
            throw new ConfigException("data.captionsPerImage", CaptionsPerImage, "an integer from 1 to 100");
        if (TrainSubset is < 1)
            throw new ConfigException("data.trainSubset", TrainSubset, "a positive number of images, or null for all");
        if (Root is not null && !Directory.Exists(Root))
            throw new ConfigException("data.root", Root, "an existing folder (or omit it for the Debian package's folder)");
        for (int i = 0; i < Sources.Count; i++) Sources[i].Validate($"data.sources[{i}]");
    }
}

/// <summary>Optimisation, learning-rate schedule, compute budget, training strategy and checkpointing.</summary>
public sealed record TrainingConfig
{
    /// <summary>
    /// Training strategy with its settings (<see cref="StrategyConfig"/>): <c>clip</c>; <c>slip</c> (CLIP + SimCLR on two
    /// extra views); <c>flip</c> (patch-token masking, ViT only); <c>clip-aug</c> (CLIP with an augmented image view).
    /// </summary>
    public StrategyConfig Strategy { get; init; } = new ClipStrategyConfig();

    /// <summary>Image–text loss, usable with every strategy (<see cref="LossConfig"/>): <c>clip</c> or <c>siglip</c>.</summary>
    public LossConfig Loss { get; init; } = new ClipLossConfig();

    /// <summary>
    /// Micro-batches per step: the batch is encoded in this many slices and the loss is still computed over the whole
    /// contrastive batch (embeddings are cached, then each slice is re-encoded with gradients), so memory falls and the
    /// gradients stay those of the full batch. Must divide <see cref="BatchSize"/>.
    /// </summary>
    public int AccumulationSteps { get; init; } = 1;

    /// <summary>
    /// Recompute each transformer block's activations in the backward pass instead of keeping them (activation
    /// checkpointing): less memory for about one more forward pass of the towers; gradients are unchanged.
    /// </summary>
    public bool ActivationCheckpointing { get; init; }

    /// <summary>Seed of model initialisation and data order.</summary>
    public int Seed { get; init; }

    /// <summary>Contrastive batch size (the paper uses 16k).</summary>
    public int BatchSize { get; init; } = 256;

    /// <summary>Budget: training samples seen. Ignored when <see cref="Epochs"/> or <see cref="BudgetGflops"/> is set.</summary>
    public long SamplesSeen { get; init; } = 600_000;

    /// <summary>Budget as passes over the training set (samples seen = epochs × dataset size).</summary>
    public double? Epochs { get; init; }

    /// <summary>
    /// Budget as total training compute in GFLOPs: the run stops after budget ÷ (training GFLOPs per sample of the
    /// model) samples, so runs of different models can be compared at equal compute as the paper does.
    /// </summary>
    public double? BudgetGflops { get; init; }

    /// <summary>Peak learning rate (the paper: 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>
    /// Optimizer; one of <see cref="OptimizerNames.All"/>: <c>adamw</c> (settings <see cref="Beta1"/>,
    /// <see cref="Beta2"/>, <see cref="Epsilon"/>) or <c>adafactor</c> (the paper's; settings <see cref="Adafactor"/>).
    /// </summary>
    public string Optimizer { get; init; } = OptimizerNames.AdamW;

    /// <summary>Adafactor settings (<see cref="Optimizer"/> <c>adafactor</c> only; null = big_vision's defaults).</summary>
    public AdafactorConfig? Adafactor { get; init; }

    /// <summary>
    /// Decoupled weight decay rate, applied to weights only, in the unit <see cref="WeightDecayConvention"/> names. The paper's
    /// 1e-4 is in <c>big_vision</c> units; in the default <c>pytorch</c> units it is about 1000× weaker at lr 1e-3.
    /// </summary>
    public double WeightDecay { get; init; } = 1e-4;

    /// <summary>
    /// What multiplies <see cref="WeightDecay"/> each step; one of <see cref="OptimizerNames.DecayConventions"/>:
    /// <c>pytorch</c> (default; p ← p·(1 − lr(t)·wd), as PyTorch's AdamW and open_clip) or <c>big_vision</c>
    /// (p ← p·(1 − lr(t)/lr·wd): the schedule only, not the base learning rate, as big_vision, LiT and the paper).
    /// </summary>
    public string WeightDecayConvention { get; init; } = OptimizerNames.PyTorchDecay;

    /// <summary>AdamW β1.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (0.98 as in CLIP for stability with large batches).</summary>
    public double Beta2 { get; init; } = 0.98;

    /// <summary>AdamW ε.</summary>
    public double Epsilon { get; init; } = 1e-6;

    /// <summary>Linear warm-up steps before the cosine decay.</summary>
    public int WarmupSteps { get; init; } = 100;

    /// <summary>Learning rate at the end of the cosine, as a fraction of the peak.</summary>
    public double MinLearningRateRatio { get; init; }

    /// <summary>Global gradient-norm clip; 0 disables clipping.</summary>
    public double GradClipNorm { get; init; } = 1.0;

    /// <summary>Write a checkpoint every N steps (and always at the end).</summary>
    public int CheckpointEverySteps { get; init; } = 200;

    /// <summary>Log metrics every N steps.</summary>
    public int LogEverySteps { get; init; } = 10;

    /// <summary>Checkpoints to keep (older ones are deleted after a new one is safely written).</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>Intra-op threads for libtorch; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Compute precision, one of <see cref="ClipLab.Runtime.Precision.Names"/>: <c>fp32</c>, or <c>bf16</c> mixed precision
    /// (bf16 matrix products, convolutions and attention; fp32 master weights, optimizer state, norms, loss and checkpoints).
    /// </summary>
    public string Precision { get; init; } = ClipLab.Runtime.Precision.Fp32;

    internal void Validate()
    {
        if (BatchSize < 2) throw new ConfigException("training.batchSize", BatchSize, "an integer of at least 2 (contrastive learning needs negatives)");
        if (Strategy is null) throw new ConfigException("training.strategy", null, "an object such as {\"type\": \"clip\"}, type one of: " + string.Join(", ", StrategyConfig.Names));
        if (Loss is null) throw new ConfigException("training.loss", null, "an object such as {\"type\": \"clip\"}, type one of: " + string.Join(", ", LossConfig.Names));
        Strategy.Validate("training.strategy");
        if (AccumulationSteps < 1 || BatchSize % AccumulationSteps != 0)
            throw new ConfigException("training.accumulationSteps", AccumulationSteps, $"a positive divisor of training.batchSize ({BatchSize}), e.g. 1, 2 or 4");
        if (Strategy is SlipStrategyConfig && BatchSize / AccumulationSteps < 2)
            throw new ConfigException("training.accumulationSteps", AccumulationSteps,
                $"at most {BatchSize / 2} with strategy \"slip\": its head's BatchNorm needs micro-batches of at least 2 samples");
        if (SamplesSeen < 1 && Epochs is null) throw new ConfigException("training.samplesSeen", SamplesSeen, "a positive number of samples");
        if (Epochs is <= 0) throw new ConfigException("training.epochs", Epochs, "a positive number, or null to use samplesSeen");
        if (BudgetGflops is not null && !(BudgetGflops > 0 && double.IsFinite(BudgetGflops.Value)))
            throw new ConfigException("training.budgetGflops", BudgetGflops, "a positive number of GFLOPs, or null to use samplesSeen");
        if (BudgetGflops is not null && Epochs is not null)
            throw new ConfigException("training.epochs and training.budgetGflops are both set; a run has one budget. Keep one of them (or neither, to use training.samplesSeen).");
        if (!(LearningRate > 0) || LearningRate > 10) throw new ConfigException("training.learningRate", LearningRate, "a number in (0, 10]");
        if (WeightDecay < 0 || WeightDecay > 10) throw new ConfigException("training.weightDecay", WeightDecay, "a number in [0, 10]");
        if (!OptimizerNames.DecayConventions.Contains(WeightDecayConvention))
            throw new ConfigException("training.weightDecayConvention", WeightDecayConvention,
                "one of: " + string.Join(", ", OptimizerNames.DecayConventions) + " (pytorch: decay × learning rate; big_vision: decay × schedule, the paper's unit)");
        if (!OptimizerNames.All.Contains(Optimizer))
            throw new ConfigException("training.optimizer", Optimizer, "one of: " + string.Join(", ", OptimizerNames.All));
        if (Adafactor is not null && Optimizer != OptimizerNames.Adafactor)
            throw new ConfigException($"training.adafactor is set but training.optimizer is \"{Optimizer}\"; remove training.adafactor or use optimizer \"adafactor\".");
        Adafactor?.Validate();
        if (Beta1 < 0 || Beta1 >= 1) throw new ConfigException("training.beta1", Beta1, "a number in [0, 1)");
        if (Beta2 < 0 || Beta2 >= 1) throw new ConfigException("training.beta2", Beta2, "a number in [0, 1)");
        if (!(Epsilon > 0)) throw new ConfigException("training.epsilon", Epsilon, "a positive number");
        if (WarmupSteps < 0) throw new ConfigException("training.warmupSteps", WarmupSteps, "a non-negative integer");
        if (MinLearningRateRatio < 0 || MinLearningRateRatio > 1) throw new ConfigException("training.minLearningRateRatio", MinLearningRateRatio, "a number in [0, 1]");
        if (GradClipNorm < 0) throw new ConfigException("training.gradClipNorm", GradClipNorm, "a non-negative number (0 disables clipping)");
        if (CheckpointEverySteps < 1) throw new ConfigException("training.checkpointEverySteps", CheckpointEverySteps, "a positive integer");
        if (LogEverySteps < 1) throw new ConfigException("training.logEverySteps", LogEverySteps, "a positive integer");
        if (KeepCheckpoints < 1) throw new ConfigException("training.keepCheckpoints", KeepCheckpoints, "a positive integer");
        if (Threads < 0) throw new ConfigException("training.threads", Threads, "0 (one per core) or a positive integer");
        ClipLab.Runtime.Precision.Validate("training.precision", Precision);
    }
}

/// <summary>
/// Evaluation run at the end of training (and by <c>cliplab eval</c>), and optionally an evaluation suite run every
/// <see cref="EverySamples"/> training samples.
/// </summary>
public sealed record EvaluationConfig
{
    /// <summary>
    /// The tasks of a periodic evaluation when <see cref="Tasks"/> is not given: zero-shot and few-shot. Both are cheap
    /// once the features exist; the linear probe's L2 sweep costs far more than embedding, so it is left to opt in.
    /// </summary>
    public static IReadOnlyList<string> DefaultPeriodicTasks { get; } = ["zeroshot", "fewshot"];

    /// <summary>
    /// Run the evaluation suite <see cref="Suite"/> whenever the training samples seen reach a multiple of this number;
    /// null turns periodic evaluation off.
    /// </summary>
    public long? EverySamples { get; init; }

    /// <summary>Suite of the periodic evaluation, by name (<c>quick</c> or <c>paper</c>); the evaluation area checks the name.</summary>
    public string Suite { get; init; } = "quick";

    /// <summary>
    /// Tasks of the periodic evaluation, named as for <c>cliplab eval --task</c>;
    /// defaults to <see cref="DefaultPeriodicTasks"/>.
    /// </summary>
    public IReadOnlyList<string> Tasks { get; init; } = DefaultPeriodicTasks;

    /// <summary>Shipped prompt-template set for zero-shot classification.</summary>
    public string PromptSet { get; init; } = "fashion-mnist";

    /// <summary>Run zero-shot classification on the test split.</summary>
    public bool ZeroShot { get; init; } = true;

    /// <summary>Run image↔text retrieval on held-out pairs.</summary>
    public bool Retrieval { get; init; } = true;

    /// <summary>Held-out images used for retrieval.</summary>
    public int RetrievalImages { get; init; } = 1000;

    /// <summary>Captions per held-out image (an image is retrieved correctly if any of its captions is).</summary>
    public int RetrievalCaptionsPerImage { get; init; } = 5;

    /// <summary>Caption seed for held-out pairs (distinct from training so captions are new).</summary>
    public ulong RetrievalCaptionSeed { get; init; } = 999;

    /// <summary>Images per forward pass during evaluation.</summary>
    public int BatchSize { get; init; } = 500;

    internal void Validate()
    {
        if (RetrievalImages < 2 || RetrievalImages > 10_000)
            throw new ConfigException("evaluation.retrievalImages", RetrievalImages, "an integer from 2 to 10000 (the test split's size)");
        if (RetrievalCaptionsPerImage < 1 || RetrievalCaptionsPerImage > 20)
            throw new ConfigException("evaluation.retrievalCaptionsPerImage", RetrievalCaptionsPerImage, "an integer from 1 to 20");
        if (BatchSize < 1) throw new ConfigException("evaluation.batchSize", BatchSize, "a positive integer");
        if (string.IsNullOrWhiteSpace(PromptSet)) throw new ConfigException("evaluation.promptSet", PromptSet, "the name of a prompt set under assets/prompts");
        if (EverySamples is < 1)
            throw new ConfigException("evaluation.everySamples", EverySamples, "a positive number of training samples, or null for no periodic evaluation");
        if (string.IsNullOrWhiteSpace(Suite)) throw new ConfigException("evaluation.suite", Suite, "the name of an evaluation suite (cliplab eval --help lists them)");
        if (Tasks is null || Tasks.Count == 0)
            throw new ConfigException("evaluation.tasks", "[]", "a list of at least one task name (cliplab eval --help lists them)");
    }
}
