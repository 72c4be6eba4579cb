using System.Diagnostics;
using System.Text.Json;
using ClipLab.Data.Loading;
using ClipLab.Imaging;
using ClipLab.Imaging.Pipeline;
using ClipLab.Models;
using ClipLab.Text;
using ClipLab.Runtime;
using TorchSharp;

namespace ClipLab.Data.Quality;

/// <summary>
/// Scores image–text pairs with a CLIP model, the paper's quality signal: the cosine similarity of each pair's
/// L2-normalised image and text embeddings. Images go through the zero-shot evaluation preprocessing (the
/// <c>eval</c> preset: resize and center crop 0.875 at the model's image size, values in [-1, 1]) in the standard
/// <see cref="ImageTextLoader"/>, so samples that cannot be used are skipped and counted as in training.
/// </summary>
/// <remarks>
/// <see cref="Score"/> works part by part (a part is a shard, see <see cref="ScoringPlan"/>) and saves each finished
/// part atomically in a <see cref="ScorePartsFolder"/>; a run that was killed continues with the first unsaved part,
/// and as each part is batched from its own start, the merged file is the same as that of an uninterrupted run.
/// Scoring puts the model in evaluation mode and runs without gradients.
/// </remarks>
public sealed class PairScorer
{
    /// <summary>Pairs per forward pass unless told otherwise.</summary>
    public const int DefaultBatchSize = 256;

    /// <summary>Metadata key of the skipped-sample counts (JSON: reason → count) in score files.</summary>
    public const string SkippedMetadataKey = "cliplab.skipped";

    private readonly ClipModel _model;
    private readonly ClipTokenizer _tokenizer;
    private readonly string _modelName;
    private readonly SampleImageTransform _transform;

    /// <summary>Creates a scorer; <paramref name="modelName"/> identifies the model in score files (e.g. its checkpoint folder and step).</summary>
    /// <exception cref="ArgumentException">The tokenizer's context length is not the model's, or the batch size is below 1.</exception>
    public PairScorer(ClipModel model, ClipTokenizer tokenizer, string modelName, int batchSize = DefaultBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentException.ThrowIfNullOrWhiteSpace(modelName);
        if (batchSize < 1) throw new ArgumentException($"the scoring batch size must be at least 1, got {batchSize}", nameof(batchSize));
        if (tokenizer.ContextLength != model.Config.Text.ContextLength)
            throw new ArgumentException($"the tokenizer makes {tokenizer.ContextLength}-token captions but the model's text tower takes {model.Config.Text.ContextLength}", nameof(tokenizer));
        _model = model;
        _tokenizer = tokenizer;
        _modelName = modelName;
        BatchSize = batchSize;
        Pipeline = ImagePipelinePresets.Get("eval", model.Config.Vision.ImageSize);
        _transform = ImagePipelineTransform.Create(Pipeline);
    }

    /// <summary>Pairs per forward pass.</summary>
    public int BatchSize { get; }

    /// <summary>The image preprocessing: the <c>eval</c> preset at the model's image size.</summary>
    public ImagePipeline Pipeline { get; }

    /// <summary>The identity of a run of this scorer over <paramref name="plan"/>.</summary>
    public ScoringIdentity IdentityFor(ScoringPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new ScoringIdentity(_modelName, Pipeline.Spec, _tokenizer.ContextLength, BatchSize, plan.Parts.Select(p => p.Name).ToList());
    }

    /// <summary>
    /// Scores every pair of <paramref name="plan"/> into the score file <paramref name="outputPath"/>, resuming from
    /// the parts an interrupted run of the same identity saved; when the file already holds this identity's scores,
    /// nothing is done. Cancelling stops between batches; finished parts stay saved.
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled; rerun to continue.</exception>
    /// <exception cref="InvalidOperationException">Saved parts of a run with another identity are in the way.</exception>
    public ScoringSummary Score(ScoringPlan plan, string outputPath, Action<ScoringProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var watch = Stopwatch.StartNew();
        var identity = IdentityFor(plan);
        string output = Path.GetFullPath(outputPath);
        var folder = new ScorePartsFolder(output);
        if (!folder.Exists && TryReadComplete(output, identity) is { } complete)
            return new ScoringSummary(output, complete, 0, plan.Parts.Count, 0, SkippedOf(complete), AlreadyComplete: true, watch.Elapsed);

        folder.Open(identity);
        var pairs = new List<ScoredPair>();
        var skipped = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long processed = 0, scoredThisRun = 0;
        int resumed = 0, total = plan.Parts.Count;
        for (int i = 0; i < total; i++)
        {
            var part = plan.Parts[i];
            ScoreFile scores;
            if (folder.HasPart(i))
            {
                scores = folder.ReadPart(i);
                resumed++;
            }
            else
            {
                long before = processed, inPart = 0;
                int index = i;
                progress?.Invoke(new ScoringProgress(i, total, processed, plan.ExpectedSamples, scoredThisRun, part.Name));
                scores = ScorePart(part, batch =>
                {
                    inPart += batch;
                    scoredThisRun += batch;
                    progress?.Invoke(new ScoringProgress(index, total, before + inPart, plan.ExpectedSamples, scoredThisRun, part.Name));
                }, cancellation);
                folder.WritePart(i, scores);
            }
            pairs.AddRange(scores.Pairs);
            var partSkipped = SkippedOf(scores);
            foreach (var (reason, count) in partSkipped) skipped[reason] = skipped.GetValueOrDefault(reason) + count;
            processed += part.ExpectedSamples ?? scores.Pairs.Count + partSkipped.Values.Sum();
            progress?.Invoke(new ScoringProgress(i + 1, total, processed, plan.ExpectedSamples, scoredThisRun, part.Name));
        }

        var merged = new ScoreFile(pairs, new Dictionary<string, string>
        {
            [ScoringIdentity.MetadataKey] = identity.ToJson(),
            [SkippedMetadataKey] = JsonSerializer.Serialize(skipped),
        });
        merged.Write(output);
        folder.Delete(); // only once the merged file is safely in place
        return new ScoringSummary(output, merged, scoredThisRun, total, resumed, skipped, AlreadyComplete: false, watch.Elapsed);
    }

    /// <summary>
    /// Scores one part in memory (nothing is saved): its usable pairs in stored order, with the skipped-sample counts
    /// in the metadata. <paramref name="onBatch"/> is told how many pairs each batch scored.
    /// </summary>
    public ScoreFile ScorePart(ScoringPart part, Action<int>? onBatch = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(part);
        var bad = new BadSampleCounter(maxBadFraction: 1.0); // scoring reports bad samples, it never stops for them
        int size = _model.Config.Vision.ImageSize, channels = _model.Config.Vision.Channels;
        // One worker keeps the stored order and batches from the part's start (so a resumed run batches alike);
        // it decodes the next batch while this thread runs the model.
        var loader = new ImageTextLoader(part.Source, _transform, _tokenizer,
            new LoaderOptions(BatchSize, size, Workers: 1, Channels: channels), bad);
        var pairs = new List<ScoredPair>();
        using (torch.no_grad())
        {
            _model.eval();
            foreach (HostBatch batch in loader.Epoch(epoch: 0, cancellation))
            {
                cancellation.ThrowIfCancellationRequested();
                float[] scores = Cosines(batch, channels, size);
                for (int j = 0; j < batch.Count; j++) pairs.Add(new ScoredPair(batch.Keys[j], part.Name, scores[j], batch.Captions[j]));
                onBatch?.Invoke(batch.Count);
            }
        }
        var skipped = bad.ByReason.ToDictionary(kv => BadSampleCounter.Describe(kv.Key), kv => kv.Value);
        return new ScoreFile(pairs, new Dictionary<string, string> { [SkippedMetadataKey] = JsonSerializer.Serialize(skipped) });
    }

    private float[] Cosines(HostBatch batch, int channels, int size)
    {
        using var scope = torch.NewDisposeScope();
        var (images, tokens) = batch.ToTensors(channels, size);
        var device = ModelPlacement.DeviceOf(_model);
        var imageEmbeddings = _model.EncodeImage(ModelPlacement.To(images, device));
        var textEmbeddings = _model.EncodeText(ModelPlacement.To(tokens, device));
        // Both are unit vectors, so the row-wise dot product is the cosine.
        return ModelPlacement.ToCpuFloat((imageEmbeddings * textEmbeddings).sum(dim: 1)).data<float>().ToArray();
    }

    private static ScoreFile? TryReadComplete(string output, ScoringIdentity identity)
    {
        if (!File.Exists(output)) return null;
        try
        {
            var file = ScoreFile.Read(output);
            return file.Metadata.TryGetValue(ScoringIdentity.MetadataKey, out string? json) && json == identity.ToJson() ? file : null;
        }
        catch (InvalidDataException)
        {
            return null; // not a score file of ours: it will be replaced
        }
    }

    private static IReadOnlyDictionary<string, long> SkippedOf(ScoreFile file) =>
        file.Metadata.TryGetValue(SkippedMetadataKey, out string? json)
            ? JsonSerializer.Deserialize<SortedDictionary<string, long>>(json) ?? new SortedDictionary<string, long>()
            : new SortedDictionary<string, long>();
}
