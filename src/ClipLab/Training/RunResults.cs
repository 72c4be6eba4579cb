using System.Text.Json;
using System.Text.Json.Serialization;
using ClipLab.Evaluation;
using ClipLab.Evaluation.Benchmarks;
using ClipLab.Evaluation.Suites;
using ClipLab.IO;

namespace ClipLab.Training;

/// <summary>Training figures in the results-file layout.</summary>
/// <param name="Model">Model name or "custom".</param>
/// <param name="Steps">Optimizer steps.</param>
/// <param name="SamplesSeen">Training samples consumed.</param>
/// <param name="Epochs">Passes over the unique training samples.</param>
/// <param name="DatasetSize">Unique training samples.</param>
/// <param name="BatchSize">Contrastive batch size.</param>
/// <param name="FinalLoss">Loss at the last step.</param>
/// <param name="WallSeconds">Training wall-clock seconds.</param>
/// <param name="SamplesPerSecond">Training throughput.</param>
/// <param name="GflopsPerSample">Training GFLOPs per sample (3 × forward FLOPs; FLOPs = 2 × MACs).</param>
/// <param name="Gflops">Training compute spent: samples seen × GFLOPs per sample.</param>
/// <param name="BudgetGflops">The run's compute budget, when it had one.</param>
/// <param name="BadSamples">Samples skipped as unusable.</param>
/// <param name="BadSampleSummary">Skipped samples by reason and first place seen.</param>
/// <param name="UsableSamples">Samples an epoch really yields (dataset size less the share bad or lost); epochs are counted against it.</param>
/// <param name="PaperGflopsPerSample">Training GFLOPs per sample under the paper's convention, beside the honest
/// <paramref name="GflopsPerSample"/>, for strategies where the two differ (SLIP: 2× CLIP); null otherwise.</param>
public sealed record TrainReport(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("steps")] long Steps,
    [property: JsonPropertyName("samples_seen")] long SamplesSeen,
    [property: JsonPropertyName("epochs")] double Epochs,
    [property: JsonPropertyName("dataset_size")] int DatasetSize,
    [property: JsonPropertyName("batch_size")] int BatchSize,
    [property: JsonPropertyName("final_loss")] double FinalLoss,
    [property: JsonPropertyName("wall_seconds")] double WallSeconds,
    [property: JsonPropertyName("samples_per_second")] double SamplesPerSecond,
    [property: JsonPropertyName("gflops_per_sample")] double GflopsPerSample,
    [property: JsonPropertyName("gflops")] double Gflops,
    [property: JsonPropertyName("budget_gflops")] double? BudgetGflops,
    [property: JsonPropertyName("bad_samples")] long BadSamples = 0,
    [property: JsonPropertyName("bad_sample_summary")] string BadSampleSummary = "none",
    [property: JsonPropertyName("usable_samples")] long UsableSamples = 0,
    [property: JsonPropertyName("paper_gflops_per_sample"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? PaperGflopsPerSample = null)
{
    /// <summary>Builds the report from a training summary.</summary>
    public static TrainReport From(string model, int batchSize, double? budgetGflops, TrainingSummary s) =>
        new(model, s.Steps, s.SamplesSeen, s.Epochs, s.DatasetSize, batchSize, s.FinalLoss, s.WallSeconds, s.SamplesPerSecond,
            s.GflopsPerSample, s.Gflops, budgetGflops, s.BadSamples, s.BadSampleSummary, s.UsableSamples, s.PaperGflopsPerSample);
}

/// <summary>
/// The <c>results.json</c> a run writes: evaluation metrics (fractions in [0, 1]), training figures and the
/// final checkpoint's path. <see cref="ZeroShot"/> and <see cref="Retrieval"/> are the Fashion-MNIST figures of the
/// end-of-training suite, whose whole report is <see cref="Evaluation"/>.
/// </summary>
/// <param name="ZeroShot">Zero-shot classification, or null if not run.</param>
/// <param name="Retrieval">Retrieval recalls, or null if not run.</param>
/// <param name="Train">Training figures.</param>
/// <param name="Checkpoint">Final checkpoint folder.</param>
/// <param name="EvalSeconds">Evaluation wall-clock seconds.</param>
public sealed record RunResults(
    [property: JsonPropertyName("zeroshot")] ZeroShotReport? ZeroShot,
    [property: JsonPropertyName("retrieval")] RetrievalReport? Retrieval,
    [property: JsonPropertyName("train")] TrainReport Train,
    [property: JsonPropertyName("checkpoint")] string Checkpoint,
    [property: JsonPropertyName("eval_seconds")] double EvalSeconds)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The end-of-training evaluation's full report (schema <see cref="SuiteReport.SchemaName"/>); null in results written before it was kept.</summary>
    [JsonPropertyName("evaluation")]
    public SuiteReport? Evaluation { get; init; }

    /// <summary>The results of a run whose end-of-training evaluation is <paramref name="evaluation"/>.</summary>
    public static RunResults From(SuiteReport evaluation, TrainReport train, string checkpoint)
    {
        ArgumentNullException.ThrowIfNull(evaluation);
        return new RunResults(ZeroShotReport.From(evaluation, FashionMnistBenchmark.Name), RetrievalReport.From(evaluation, FashionMnistBenchmark.Name),
            train, checkpoint, evaluation.Seconds) { Evaluation = evaluation };
    }

    /// <summary>Writes the results atomically to <paramref name="path"/>.</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    /// <summary>Reads results written by <see cref="Save"/>.</summary>
    public static RunResults Load(string path) =>
        JsonSerializer.Deserialize<RunResults>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty");
}
