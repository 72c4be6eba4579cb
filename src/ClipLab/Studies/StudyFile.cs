using ClipLab.Evaluation.Benchmarks.Standard;
using System.Text.Json;
using ClipLab.Configuration;

namespace ClipLab.Studies;

/// <summary>
/// A study as written in its JSON file: a name, the paper's claims it tests, and one section per scale
/// (<c>cpu</c>, <c>paper</c>), each a complete grid. Read with <see cref="StudyLoader"/>, which validates it.
/// </summary>
public sealed record StudyFile
{
    /// <summary>The study's name (e.g. <c>data-quality</c>); names its store rows and its report.</summary>
    public string Name { get; init; } = "";

    /// <summary>What the study compares, in one or two sentences.</summary>
    public string Description { get; init; } = "";

    /// <summary>Ids of the paper's claims the study covers (e.g. <c>C-Quality</c>); the report gives each a verdict.</summary>
    public IReadOnlyList<string> Claims { get; init; } = [];

    /// <summary>The grids, one per scale.</summary>
    public StudyScales Scales { get; init; } = new();
}

/// <summary>A study's grid at each scale it defines.</summary>
public sealed record StudyScales
{
    /// <summary>The scale names: <c>cpu</c> finishes on a small CPU machine with local data; <c>paper</c> has the paper's settings, for GPU clusters.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cpu", "paper"];

    /// <summary>The <c>cpu</c> scale.</summary>
    public StudyScale? Cpu { get; init; }

    /// <summary>The <c>paper</c> scale.</summary>
    public StudyScale? Paper { get; init; }

    /// <summary>The scales this study defines, by name.</summary>
    public IReadOnlyDictionary<string, StudyScale> Defined
    {
        get
        {
            var defined = new Dictionary<string, StudyScale>(StringComparer.Ordinal);
            if (Cpu is not null) defined["cpu"] = Cpu;
            if (Paper is not null) defined["paper"] = Paper;
            return defined;
        }
    }
}

/// <summary>One scale of a study: the base run config, the axes, the seeds, the evaluation and the budget regime.</summary>
public sealed record StudyScale
{
    /// <summary>The base run config, inline. Give this or <see cref="BaseConfig"/>.</summary>
    public RunConfig? Base { get; init; }

    /// <summary>A run config file to start from (relative to the study file's folder, else to the working folder).</summary>
    public string? BaseConfig { get; init; }

    /// <summary>The axes of the grid, crossed in order; every run takes one value of each.</summary>
    public IReadOnlyList<StudyAxis> Axes { get; init; } = [];

    /// <summary>Training seeds (<c>training.seed</c>); every grid point runs once per seed.</summary>
    public IReadOnlyList<int> Seeds { get; init; } = [0];

    /// <summary>The evaluation suite each finished run is scored with.</summary>
    public StudyEvaluation Evaluation { get; init; } = new();

    /// <summary>How long each run trains.</summary>
    public StudyBudget Budget { get; init; } = new();

    /// <summary>How to get the data this scale reads (e.g. the command that builds it); added to a missing-data error.</summary>
    public string? DataNote { get; init; }

    /// <summary>The scorer step of a data-quality study (needed by the <c>data.keepTop</c> axis).</summary>
    public StudyScoring? Scoring { get; init; }
}

/// <summary>One axis: a config key path and the values it takes.</summary>
public sealed record StudyAxis
{
    /// <summary>
    /// A dotted run-config key as for <c>--set</c> (<c>model</c>, <c>data.trainSubset</c>, <c>training.strategy</c>,
    /// <c>data.augmentation</c> …), or <c>data.keepTop</c>: the top fraction of the scored pool (see <see cref="StudyScoring"/>).
    /// </summary>
    public string Key { get; init; } = "";

    /// <summary>The values, as JSON (numbers, strings, booleans, null); with <see cref="Settings"/>, the values' names.</summary>
    public IReadOnlyList<JsonElement> Values { get; init; } = [];

    /// <summary>
    /// A compound axis: for each value, an object of the config keys it sets (e.g. strategy <c>clip-aug</c> sets
    /// <c>training.strategy</c> and <c>data.augmentation</c>). <see cref="Key"/> is then only the axis's name.
    /// </summary>
    public IReadOnlyList<JsonElement>? Settings { get; init; }
}

/// <summary>The evaluation of a study's runs (the tasks of <c>cliplab eval</c>).</summary>
public sealed record StudyEvaluation
{
    /// <summary><c>quick</c> or <c>paper</c> (see docs/evaluation.md).</summary>
    public string Suite { get; init; } = "quick";

    /// <summary>Tasks, named as for <c>cliplab eval --task</c>.</summary>
    public IReadOnlyList<string> Tasks { get; init; } = ["zeroshot", "few-shot", "retrieval"];

    /// <summary>Benchmark description files (<c>cliplab eval --benchmark</c>), e.g. the corpus's held-out pairs.</summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = [];

    /// <summary>
    /// Standard benchmarks as you have them on disk (as <c>cliplab eval --imagenet DIR</c>, <c>--coco FILE</c> …):
    /// <c>{ "format": "imagenet", "path": "data/imagenet/val" }</c>, <c>{ "format": "coco", "path": "…/captions_val2017.json", "images": "…/val2017" }</c>.
    /// Paths are relative to the working folder, like the runs' data.
    /// </summary>
    public IReadOnlyList<StandardBenchmarkSource> Standard { get; init; } = [];

    /// <summary>Prompt templates of the standard benchmarks: <c>clip</c> (CLIP's 80) or <c>best</c> (big_vision's 8).</summary>
    public string Templates { get; init; } = "clip";
}

/// <summary>The budget regime: how many samples each run sees.</summary>
public sealed record StudyBudget
{
    /// <summary>
    /// <c>one-epoch</c>: one pass over each run's training data (samples seen = its unique pairs); <c>fixed-epochs</c>:
    /// <see cref="Epochs"/> passes; <c>fixed-samples</c>: <see cref="SamplesSeen"/> for every run; <c>fixed-gflops</c>:
    /// <see cref="Gflops"/> of training compute for every run; <c>config</c>: the base config's budget (axes may set it).
    /// Two or more regimes make a <c>budget</c> axis of their own.
    /// </summary>
    public IReadOnlyList<string> Regimes { get; init; } = ["config"];

    /// <summary>Samples seen by every run of the <c>fixed-samples</c> regime.</summary>
    public long? SamplesSeen { get; init; }

    /// <summary>Passes over the training data of every run of the <c>fixed-epochs</c> regime.</summary>
    public double? Epochs { get; init; }

    /// <summary>Training GFLOPs of every run of the <c>fixed-gflops</c> regime.</summary>
    public double? Gflops { get; init; }

    /// <summary>Valid regime names.</summary>
    public static IReadOnlyList<string> Names { get; } = ["one-epoch", "fixed-epochs", "fixed-samples", "fixed-gflops", "config"];
}

/// <summary>
/// The scorer step of a data-quality study: train a scorer on <see cref="Scorer"/>, score every pair of <see cref="Pool"/>
/// with it, and write the top fraction of each <c>data.keepTop</c> value as shards the runs then train on.
/// </summary>
public sealed record StudyScoring
{
    /// <summary>The scorer's run config (inline); trained once, in <c>&lt;out&gt;/scorer</c>.</summary>
    public RunConfig? Scorer { get; init; }

    /// <summary>The pool's WebDataset shards (a brace pattern, relative to the working folder).</summary>
    public string Pool { get; init; } = "";
}
