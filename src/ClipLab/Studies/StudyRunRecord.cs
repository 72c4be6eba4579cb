namespace ClipLab.Studies;

/// <summary>
/// One finished run of a study: the row the results store keeps and the figures and verdicts read.
/// </summary>
/// <param name="Study">The study's name (e.g. <c>data-quality</c>).</param>
/// <param name="Scale">The scale it ran at (<c>cpu</c> or <c>paper</c>).</param>
/// <param name="RunId">The run's folder name inside the study folder; unique within a study.</param>
/// <param name="Axes">The value of each axis for this run, keyed by the config key of the axis (e.g. <c>data.keepTop</c> → <c>0.4</c>).</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="ConfigHash">Hash of the resolved run config (hex); equal configs hash equally.</param>
/// <param name="ResolvedConfigJson">The resolved run config as JSON.</param>
/// <param name="SamplesSeen">Training samples seen.</param>
/// <param name="UniquePairs">Distinct image–text pairs in the training data.</param>
/// <param name="Epochs">Passes over the training data (samples seen / unique pairs).</param>
/// <param name="GflopsPerSample">Training GFLOPs per sample (forward and backward, as <c>cliplab models</c> counts them).</param>
/// <param name="TotalGflops">Training GFLOPs of the whole run.</param>
/// <param name="WallSeconds">Wall-clock time of training and evaluation.</param>
/// <param name="Device">The device it ran on (e.g. <c>cpu</c>, <c>cuda:0</c>).</param>
/// <param name="Metrics">Every metric of the evaluation suite, flattened as <c>benchmark/task/metric</c>
/// (<c>fashion-mnist/zeroshot/top1</c>, <c>fashion-mnist-shifted-average/zeroshot/top1</c>,
/// <c>fashion-mnist/linear_probe/top1</c>, <c>fashion-mnist/fewshot_10/top1</c>, <c>corpus-heldout/retrieval/image_to_text_r1</c> …).</param>
/// <param name="PaperGflopsPerSample">Training GFLOPs per sample under the paper's accounting convention, beside the honest
/// <paramref name="GflopsPerSample"/>, where the strategy's differ (SLIP: 2× CLIP); null otherwise (<c>TrainReport</c>'s
/// <c>paper_gflops_per_sample</c>).</param>
public sealed record StudyRunRecord(
    string Study,
    string Scale,
    string RunId,
    IReadOnlyDictionary<string, string> Axes,
    int Seed,
    string ConfigHash,
    string ResolvedConfigJson,
    long SamplesSeen,
    long UniquePairs,
    double Epochs,
    double GflopsPerSample,
    double TotalGflops,
    double WallSeconds,
    string Device,
    IReadOnlyDictionary<string, double> Metrics,
    double? PaperGflopsPerSample = null);
