using ClipLab.Data;
using ClipLab.Data.Quality;
using ClipLab.Data.Sources;
using ClipLab.Data.WebDataset;
using ClipLab.Imaging;
using ClipLab.Imaging.Pipeline;
using ClipLab.Tests.Data.Sources;
using TorchSharp;
using Xunit;

namespace ClipLab.Tests.Data.Quality;

public class PairScorerTests
{
    [Fact]
    public void EveryGoodSampleGetsTheCosineOfItsEmbeddings()
    {
        using var temp = new TempFolder();
        string pattern = QualityFixtures.WriteShards(temp.Path, samples: 11, perShard: 4);
        var (model, tokenizer) = QualityFixtures.TinyModel();
        using var _ = model;
        var scorer = new PairScorer(model, tokenizer, "tiny", batchSize: 3);
        var summary = scorer.Score(ScoringPlan.Open(pattern), temp.File("scores.parquet"));

        var good = Enumerable.Range(0, 11).Except(QualityFixtures.BadSamples).ToList();
        var pairs = ScoreFile.Read(temp.File("scores.parquet")).Pairs;
        Assert.Equal(good.Select(i => $"sample{i:D4}"), pairs.Select(p => p.Key));
        Assert.Equal(good.Select(i => Path.Combine(temp.Path, $"data-{i / 4:D5}.tar")), pairs.Select(p => p.Shard));
        Assert.Equal(new Dictionary<string, long> { ["corrupt image"] = 1, ["empty caption"] = 1 }, summary.Skipped);
        Assert.Equal(9, summary.ScoredThisRun);

        // The reference: the eval preset applied to the decoded image, then EncodeImage / EncodeText one pair at a time.
        var pipeline = ImagePipelinePresets.Get("eval", TinyRuns.Model.Vision.ImageSize);
        Assert.Equal(pipeline.Spec, scorer.Pipeline.Spec);
        var raw = new WebDatasetSource(new WebDatasetOptions(pattern)).Read(SourcePartition.All, 0, 0, new BadSampleCounter(1.0))
            .ToDictionary(s => s.Key);
        using var noGrad = torch.no_grad();
        model.eval();
        foreach (var pair in pairs)
        {
            using var scope = torch.NewDisposeScope();
            var sample = raw[pair.Key];
            Assert.Equal(sample.Caption, pair.Caption);
            float[] pixels = pipeline.Run(ImageDecoder.Decode(sample.Image), new Random(0));
            var image = model.EncodeImage(torch.tensor(pixels, [1, 3, pipeline.OutputSize, pipeline.OutputSize]));
            var text = model.EncodeText(torch.tensor(tokenizer.EncodeRow(sample.Caption), [1, tokenizer.ContextLength]));
            float cosine = torch.nn.functional.cosine_similarity(image, text, dim: 1).item<float>();
            Assert.InRange(pair.Score, cosine - 1e-5f, cosine + 1e-5f);
        }
        Assert.True(pairs.Select(p => p.Score).Distinct().Count() > 1, "a random model still scores different pairs differently");
    }

    [Fact]
    public void AResumedRunWritesTheSameFileAsAnUninterruptedOne()
    {
        using var temp = new TempFolder();
        string pattern = QualityFixtures.WriteShards(temp.Path, samples: 14, perShard: 5); // parts of 5, 5, 4
        var (model, tokenizer) = QualityFixtures.TinyModel();
        using var _ = model;
        var scorer = new PairScorer(model, tokenizer, "tiny", batchSize: 2);
        var plan = ScoringPlan.Open(pattern);
        scorer.Score(plan, temp.File("whole.parquet"));

        // Stop once the first part is saved, as a kill between parts would; leave a torn temp file as a kill mid-write would.
        string output = temp.File("resumed.parquet");
        using (var stop = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() =>
                scorer.Score(plan, output, p => { if (p.PartsDone == 1) stop.Cancel(); }, stop.Token));
        }
        var parts = new ScorePartsFolder(output);
        Assert.True(parts.HasPart(0));
        Assert.False(parts.HasPart(1));
        Assert.False(File.Exists(output));
        File.WriteAllBytes(Path.Combine(parts.FolderPath, ".part-00001.parquet.999.tmp"), [1, 2, 3]);

        var resumed = scorer.Score(plan, output);
        Assert.Equal(1, resumed.PartsResumed);
        Assert.Equal(4 + 4, resumed.ScoredThisRun); // parts 1 (samples 5-9, 6 bad) and 2 (10-13); part 0 was saved
        Assert.Equal(File.ReadAllBytes(temp.File("whole.parquet")), File.ReadAllBytes(output));
        Assert.False(parts.Exists);

        // The finished file records what made it: the same command again does nothing.
        var again = scorer.Score(plan, output);
        Assert.True(again.AlreadyComplete);
        Assert.Equal(0, again.ScoredThisRun);
        Assert.Equal(resumed.Scores.Pairs.Count, again.Scores.Pairs.Count);
        Assert.Equal(resumed.Skipped, again.Skipped);
    }

    [Fact]
    public void PartsOfAnotherRunAreNotMixedIn()
    {
        using var temp = new TempFolder();
        string pattern = QualityFixtures.WriteShards(temp.Path, samples: 8, perShard: 4);
        var (model, tokenizer) = QualityFixtures.TinyModel();
        using var _ = model;
        var plan = ScoringPlan.Open(pattern);
        string output = temp.File("scores.parquet");
        using (var stop = new CancellationTokenSource())
        {
            Assert.ThrowsAny<OperationCanceledException>(() => new PairScorer(model, tokenizer, "tiny", batchSize: 2)
                .Score(plan, output, p => { if (p.PartsDone == 1) stop.Cancel(); }, stop.Token));
        }
        var error = Assert.Throws<InvalidOperationException>(() => new PairScorer(model, tokenizer, "tiny", batchSize: 4).Score(plan, output));
        Assert.Contains("another scoring run", error.Message);
        Assert.Contains("delete the folder", error.Message);
    }

    [Fact]
    public void AMissingShardIsReportedBeforeAnythingIsScored()
    {
        using var temp = new TempFolder();
        QualityFixtures.WriteShards(temp.Path, samples: 4, perShard: 2);
        var error = Assert.Throws<FileNotFoundException>(() => ScoringPlan.Open(Path.Combine(temp.Path, "data-{00000..00002}.tar")));
        Assert.Contains("data-00002.tar", error.Message);
        var plan = ScoringPlan.Open(Path.Combine(temp.Path, "data-{00000..00001}.tar"));
        Assert.Equal(4, plan.ExpectedSamples);
    }
}
